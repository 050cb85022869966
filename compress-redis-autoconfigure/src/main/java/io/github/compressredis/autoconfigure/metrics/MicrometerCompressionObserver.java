package io.github.compressredis.autoconfigure.metrics;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.github.compressredis.autoconfigure.metrics.CompressionObservationContext.Operation;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.stats.CompressionObserver;
import io.github.compressredis.core.stats.WriteOutcome;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Times each compression and decompression once, into every registry it was given: as a
 * Micrometer {@link Observation} when an {@link ObservationRegistry} is given (Boot's
 * meter observation handler then makes the Observation the
 * {@code redis.compression.compress}/{@code decompress} timer, and a tracing handler a
 * span), otherwise straight into those timers with the same tags ({@code target},
 * {@code codec}, {@code outcome}, {@code error}). Also records the
 * {@code redis.compression.ratio} distribution. The registries are children of one
 * composite, so binding to a second registry adds to the first instead of replacing it.
 *
 * @author compress-redis contributors
 */
public final class MicrometerCompressionObserver implements CompressionObserver {

	/** The percentiles the timers publish (through {@link CompressionMeterFilter}). */
	static final double[] PERCENTILES = { 0.5, 0.95, 0.99 };

	private static final String DECODED = "decoded";

	private static final String NO_ERROR = "none";

	private final CompositeMeterRegistry registries = new CompositeMeterRegistry();

	private final @Nullable ObservationRegistry observations;

	private final CompressionObservationConvention convention;

	private final DistributionSummary ratio;

	private final Meter.MeterProvider<Timer> compressTimer;

	private final Meter.MeterProvider<Timer> decompressTimer;

	/**
	 * Create an observer that records into the meter registries {@link #addRegistry
	 * added} later.
	 * @param observations where Observations are started, {@code null} to record the
	 * timers directly
	 * @param convention names and key values of the Observations, {@code null} for the
	 * default
	 */
	public MicrometerCompressionObserver(@Nullable ObservationRegistry observations,
			@Nullable CompressionObservationConvention convention) {
		this.observations = (observations != null && !observations.isNoop()) ? observations : null;
		this.convention = (convention != null) ? convention : DefaultCompressionObservationConvention.INSTANCE;
		this.ratio = DistributionSummary.builder("redis.compression.ratio")
			.description("Stored size over original size of each value stored compressed")
			.publishPercentiles(0.5, 0.9)
			.register(this.registries);
		this.compressTimer = Timer.builder(Operation.COMPRESS.observationName())
			.description("Time spent compressing a value, including attempts that did not save enough")
			.withRegistry(this.registries);
		this.decompressTimer = Timer.builder(Operation.DECOMPRESS.observationName())
			.description(
					"Time spent decoding a compressed value (for a streamed value, with the reader's parsing interleaved)")
			.withRegistry(this.registries);
	}

	/**
	 * Record into one more registry as well (once per registry, whatever the number of
	 * calls).
	 * @param registry the registry
	 */
	public synchronized void addRegistry(MeterRegistry registry) {
		Objects.requireNonNull(registry, "'registry' must not be null");
		if (!this.registries.getRegistries().contains(registry)) {
			this.registries.add(registry);
		}
	}

	/**
	 * Return whether calls are Observations (timed by the observation handlers) rather
	 * than timed here.
	 * @return whether an observation registry is in use
	 */
	public boolean isObserving() {
		return this.observations != null;
	}

	@Override
	public @Nullable Object compressing(String target, Algorithm algorithm, int originalBytes) {
		ObservationRegistry observations = this.observations;
		if (observations == null) {
			return null;
		}
		CompressionObservationContext context = new CompressionObservationContext(Operation.COMPRESS, target);
		context.setCodec(algorithm);
		context.setOriginalBytes(originalBytes);
		return start(observations, context);
	}

	@Override
	public @Nullable Object decompressing(String target, int storedBytes) {
		ObservationRegistry observations = this.observations;
		if (observations == null) {
			return null;
		}
		CompressionObservationContext context = new CompressionObservationContext(Operation.DECOMPRESS, target);
		context.setStoredBytes(storedBytes);
		return start(observations, context);
	}

	private @Nullable Observation start(ObservationRegistry observations, CompressionObservationContext context) {
		Observation observation = Observation
			.createNotStarted(context.getOperation().observationName(), () -> context, observations)
			.observationConvention(this.convention)
			.start();
		// a disabled observation (an ObservationPredicate) times nothing: the timer is
		// recorded here then
		return observation.isNoop() ? null : observation;
	}

	@Override
	public void written(String target, @Nullable Object observation, WriteOutcome outcome, Algorithm algorithm,
			int originalBytes, int storedBytes, long nanos) {
		if (outcome == WriteOutcome.COMPRESSED && originalBytes != 0) {
			this.ratio.record((double) storedBytes / originalBytes);
		}
		if (observation instanceof Observation started) {
			CompressionObservationContext context = (CompressionObservationContext) started.getContext();
			context.setOutcome(outcome.tag());
			context.setStoredBytes(storedBytes);
			started.stop();
		}
		else if (nanos != 0) {
			this.compressTimer
				.withTags("codec", algorithm.tag(), "outcome", outcome.tag(), "target", target, "error", NO_ERROR)
				.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void decompressed(String target, @Nullable Object observation, Algorithm algorithm, int storedBytes,
			int originalBytes, long nanos) {
		if (observation instanceof Observation started) {
			CompressionObservationContext context = (CompressionObservationContext) started.getContext();
			context.setCodec(algorithm);
			context.setOutcome(DECODED);
			context.setOriginalBytes(originalBytes);
			started.stop();
		}
		else {
			this.decompressTimer
				.withTags("codec", algorithm.tag(), "outcome", DECODED, "target", target, "error", NO_ERROR)
				.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void readFailed(String target, @Nullable Object observation, @Nullable Algorithm algorithm,
			DecodeFault fault) {
		if (observation instanceof Observation started) {
			CompressionObservationContext context = (CompressionObservationContext) started.getContext();
			context.setCodec(algorithm);
			context.setOutcome(fault.tag());
			started.stop();
		}
	}

	/**
	 * Return the slowest of each published percentile among the series of a timer, over
	 * its distribution window ({@code management.metrics.distribution.expiry}, 2 minutes
	 * by default), from the first registry.
	 * @param operation the timer's operation
	 * @return p50, p95 and p99 in nanoseconds, zeros when nothing was timed in the window
	 */
	public double[] percentiles(Operation operation) {
		double[] result = new double[PERCENTILES.length];
		MeterRegistry registry = this.registries.getRegistries().stream().findFirst().orElse(null);
		if (registry == null) {
			return result;
		}
		for (Timer timer : registry.find(operation.observationName()).timers()) {
			HistogramSnapshot snapshot = timer.takeSnapshot();
			for (ValueAtPercentile value : snapshot.percentileValues()) {
				int index = Arrays.binarySearch(PERCENTILES, value.percentile());
				if (index >= 0) {
					result[index] = Math.max(result[index], value.value(TimeUnit.NANOSECONDS));
				}
			}
		}
		return result;
	}

}
