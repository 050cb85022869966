package io.github.compressredis.autoconfigure.metrics;

import java.time.Duration;

import io.github.compressredis.autoconfigure.metrics.CompressionObservationContext.Operation;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.jspecify.annotations.Nullable;

/**
 * Publishes the percentiles (p50, p95, p99) and the service-level objectives
 * ({@code compress.redis.slo.*}) of the
 * {@code redis.compression.compress}/{@code decompress} timers, on every series (every
 * target, codec and outcome), whether an Observation or the compressor recorded it. A
 * filter rather than the timer builder, because Boot's meter observation handler builds
 * the timer of an Observation.
 *
 * @author compress-redis contributors
 */
public class CompressionMeterFilter implements MeterFilter {

	private final @Nullable Duration compressObjective;

	private final @Nullable Duration decompressObjective;

	/**
	 * Create a filter.
	 * @param compressObjective the compression time objective, {@code null} for none
	 * @param decompressObjective the decompression time objective, {@code null} for none
	 */
	public CompressionMeterFilter(@Nullable Duration compressObjective, @Nullable Duration decompressObjective) {
		this.compressObjective = compressObjective;
		this.decompressObjective = decompressObjective;
	}

	@Override
	public @Nullable DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
		if (id.getType() != Meter.Type.TIMER) {
			return config;
		}
		if (Operation.COMPRESS.observationName().equals(id.getName())) {
			return configure(this.compressObjective, config);
		}
		if (Operation.DECOMPRESS.observationName().equals(id.getName())) {
			return configure(this.decompressObjective, config);
		}
		return config;
	}

	private static DistributionStatisticConfig configure(@Nullable Duration objective,
			DistributionStatisticConfig config) {
		DistributionStatisticConfig.Builder builder = DistributionStatisticConfig.builder()
			.percentiles(MicrometerCompressionObserver.PERCENTILES);
		if (objective != null) {
			builder.serviceLevelObjectives((double) objective.toNanos());
		}
		return builder.build().merge(config);
	}

}
