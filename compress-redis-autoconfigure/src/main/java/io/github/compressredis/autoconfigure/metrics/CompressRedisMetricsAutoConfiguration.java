package io.github.compressredis.autoconfigure.metrics;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.autoconfigure.CompressRedisProperties;
import io.github.compressredis.autoconfigure.CompressionTargets;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.foreign.ForeignFormats;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the compress-redis Micrometer meters, when Micrometer is present:
 * the counters read from the statistics, one observer that times each call into every
 * registry (as an Observation when an {@link ObservationRegistry} bean exists and
 * {@code compress.redis.observation.enabled} is on), and the filter that publishes the
 * timers' percentiles and service-level objectives.
 *
 * @author compress-redis contributors
 */
@AutoConfiguration(after = CompressRedisAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(CompressionStats.class)
public final class CompressRedisMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MicrometerCompressionObserver compressionObserver(CompressionStats compressionStats,
			CompressRedisProperties properties, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<CompressionObservationConvention> observationConvention) {
		ObservationRegistry observations = properties.getObservation().isEnabled() ? observationRegistry.getIfUnique()
				: null;
		MicrometerCompressionObserver observer = new MicrometerCompressionObserver(observations,
				observationConvention.getIfUnique());
		compressionStats.setObserver(observer);
		return observer;
	}

	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	CompressionEndpoint.LatencyPercentiles compressionLatencyPercentiles(MicrometerCompressionObserver observer) {
		return (decompress) -> observer.percentiles(decompress ? CompressionObservationContext.Operation.DECOMPRESS
				: CompressionObservationContext.Operation.COMPRESS);
	}

	@Bean
	@ConditionalOnMissingBean
	CompressionMetrics compressionMetrics(CompressionStats compressionStats,
			CompressionPolicyHolder compressionPolicyHolder, MicrometerCompressionObserver compressionObserver) {
		return new CompressionMetrics(compressionStats, compressionPolicyHolder, compressionObserver);
	}

	@Bean
	@ConditionalOnMissingBean
	CompressionMeterFilter compressionMeterFilter(CompressRedisProperties properties) {
		CompressRedisProperties.Slo slo = properties.getSlo();
		return new CompressionMeterFilter(slo.getCompress(), slo.getDecompress());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(CompressionTargets.class)
	CompressionTargetMetrics compressionTargetMetrics(CompressionTargets compressionTargets) {
		return new CompressionTargetMetrics(compressionTargets);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(DictionaryRegistry.class)
	DictionaryMetrics compressionDictionaryMetrics(DictionaryRegistry compressionDictionaryRegistry) {
		return new DictionaryMetrics(compressionDictionaryRegistry);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty("compress.redis.read-foreign")
	ForeignFormatMetrics compressionForeignFormatMetrics(ValueCompressor valueCompressor) {
		ForeignFormats formats = valueCompressor.getForeignFormats();
		return new ForeignFormatMetrics(
				(formats != null) ? formats : new ForeignFormats(java.util.Set.of(), valueCompressor.getCodecs()));
	}

}
