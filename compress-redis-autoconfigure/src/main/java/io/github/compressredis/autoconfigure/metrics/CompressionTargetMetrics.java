package io.github.compressredis.autoconfigure.metrics;

import java.util.Objects;

import io.github.compressredis.autoconfigure.CompressionTargets;
import io.github.compressredis.core.stats.BreakerState;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the meters of each named target, under {@code redis.compression.target.*}, tagged
 * with {@code target}: its values are bounded by the configuration (bean names,
 * configured cache names, {@code cache} for every cache created at runtime,
 * {@code session}).
 *
 * @author compress-redis contributors
 */
public class CompressionTargetMetrics implements MeterBinder {

	private final CompressionTargets targets;

	public CompressionTargetMetrics(CompressionTargets targets) {
		this.targets = Objects.requireNonNull(targets, "'targets' must not be null");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.targets.forEachTarget((target) -> bind(target, registry));
	}

	private static void bind(CompressionTargets.Target target, MeterRegistry registry) {
		CompressionStats stats = target.stats();
		for (WriteOutcome outcome : WriteOutcome.values()) {
			FunctionCounter.builder("redis.compression.target.writes", stats, (s) -> s.writes(outcome))
				.description("Values written by a target, by outcome")
				.tag("target", target.name())
				.tag("outcome", outcome.tag())
				.register(registry);
		}
		FunctionCounter.builder("redis.compression.target.saved", stats, (s) -> s.snapshot().bytesSaved())
			.description("Bytes a target did not store thanks to compression")
			.baseUnit(BaseUnits.BYTES)
			.tag("target", target.name())
			.register(registry);
		FunctionCounter.builder("redis.compression.target.policy.refused", target.policies(), (p) -> p.refusedCount())
			.description("Global policy changes a target did not follow because its override made them invalid")
			.tag("target", target.name())
			.register(registry);
		Gauge.builder("redis.compression.target.policy.version", target.policies(), (p) -> p.current().version())
			.description("Version of a target's policy")
			.tag("target", target.name())
			.register(registry);
		for (BreakerState state : BreakerState.values()) {
			Gauge
				.builder("redis.compression.target.breaker.state", target,
						(t) -> (t.breakerStatus().state() == state) ? 1 : 0)
				.description("1 for the state a target's breaker is in, 0 for the others")
				.tag("target", target.name())
				.tag("state", state.tag())
				.register(registry);
		}
	}

}
