package io.github.compressredis.autoconfigure.metrics;

import java.util.function.ToDoubleFunction;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.BreakerState;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import io.github.compressredis.core.stats.WriteOutcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Binds compress-redis meters, under {@code redis.compression.*}: counters and gauges
 * read straight from {@link CompressionStats} (function-based, so each event is counted
 * once, in the statistics), and, with a {@link MicrometerCompressionObserver}, the timers
 * and the ratio distribution it records per call. Tags are bounded by enums (codec,
 * outcome, reason, state) and by the configured targets. Binds to any number of
 * registries.
 *
 * @author compress-redis contributors
 */
public class CompressionMetrics implements MeterBinder {

	private final CompressionStats stats;

	private final CompressionPolicyHolder policies;

	private final @Nullable MicrometerCompressionObserver observer;

	/**
	 * Create the counters and gauges only (no timers).
	 * @param stats the statistics
	 * @param policies the policy in force
	 */
	public CompressionMetrics(CompressionStats stats, CompressionPolicyHolder policies) {
		this(stats, policies, null);
	}

	/**
	 * Create the counters and gauges, and the timers of an observer set on the
	 * statistics.
	 * @param stats the statistics
	 * @param policies the policy in force
	 * @param observer the observer that times each call, {@code null} for no timers
	 */
	public CompressionMetrics(CompressionStats stats, CompressionPolicyHolder policies,
			@Nullable MicrometerCompressionObserver observer) {
		this.stats = stats;
		this.policies = policies;
		this.observer = observer;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (WriteOutcome outcome : WriteOutcome.values()) {
			FunctionCounter.builder("redis.compression.writes", this.stats, (stats) -> stats.writes(outcome))
				.description("Values written, by outcome (compressed, or stored plain and why)")
				.tag("outcome", outcome.tag())
				.register(registry);
		}
		for (Algorithm algorithm : Algorithm.values()) {
			FunctionCounter
				.builder("redis.compression.compressed.writes", this.stats,
						(stats) -> stats.compressedWrites(algorithm))
				.description("Values stored compressed, by codec")
				.tag("codec", algorithm.tag())
				.register(registry);
			FunctionCounter.builder("redis.compression.reads", this.stats, (stats) -> stats.compressedReads(algorithm))
				.description("Values read, by codec ('plain' for values stored uncompressed)")
				.tag("codec", algorithm.tag())
				.register(registry);
		}
		FunctionCounter.builder("redis.compression.reads", this.stats, CompressionStats::plainReads)
			.description("Values read, by codec ('plain' for values stored uncompressed)")
			.tag("codec", "plain")
			.register(registry);
		for (DecodeFault fault : DecodeFault.values()) {
			FunctionCounter.builder("redis.compression.read.failures", this.stats, (stats) -> stats.readFailures(fault))
				.description("Compressed values that could not be decoded, by reason")
				.tag("reason", fault.tag())
				.register(registry);
		}
		String written = "Bytes of values written, before (original) and after (stored) compression";
		bytesCounter(registry, "redis.compression.written.bytes", written, "original",
				CompressionStats::writtenOriginalBytes);
		bytesCounter(registry, "redis.compression.written.bytes", written, "stored",
				CompressionStats::writtenStoredBytes);
		String read = "Bytes of values read, as stored and after decoding (original)";
		bytesCounter(registry, "redis.compression.read.bytes", read, "stored", CompressionStats::readStoredBytes);
		bytesCounter(registry, "redis.compression.read.bytes", read, "original", CompressionStats::readOriginalBytes);
		Gauge.builder("redis.compression.policy.version", this.policies, (policies) -> policies.current().version())
			.description("Version of the compression policy in force")
			.register(registry);
		for (FallbackReason reason : FallbackReason.values()) {
			FunctionCounter.builder("redis.compression.fallbacks", this.stats, (stats) -> stats.fallbacks(reason))
				.description(
						"Values not written the way the policy asks (stored plain or at a faster level), by reason")
				.tag("reason", reason.tag())
				.register(registry);
			if (reason != FallbackReason.COMPRESSION_FAILED) {
				FunctionCounter
					.builder("redis.compression.breaker.trips", this.stats, (stats) -> stats.breakerTrips(reason))
					.description("Times the compression breaker tripped, by reason")
					.tag("reason", reason.tag())
					.register(registry);
			}
		}
		for (BreakerState state : BreakerState.values()) {
			Gauge
				.builder("redis.compression.breaker.state", this.stats,
						(stats) -> (stats.breakerStatus().state() == state) ? 1 : 0)
				.description("State of the compression breaker: 1 for the state it is in, 0 for the others")
				.tag("state", state.tag())
				.register(registry);
		}
		FunctionCounter.builder("redis.compression.cache.fail-open", this.stats, CompressionStats::cacheFailOpens)
			.description("Cache entries that could not be decoded and were treated as misses")
			.register(registry);
		FunctionCounter
			.builder("redis.compression.policy.refused", this.policies, CompressionPolicyHolder::refusedCount)
			.description("Policy changes refused as invalid; the policy in force stayed")
			.register(registry);
		if (this.observer != null) {
			this.observer.addRegistry(registry);
		}
	}

	private void bytesCounter(MeterRegistry registry, String name, String description, String stage,
			ToDoubleFunction<CompressionStats> bytes) {
		FunctionCounter.builder(name, this.stats, bytes)
			.description(description)
			.baseUnit(BaseUnits.BYTES)
			.tag("stage", stage)
			.register(registry);
	}

}
