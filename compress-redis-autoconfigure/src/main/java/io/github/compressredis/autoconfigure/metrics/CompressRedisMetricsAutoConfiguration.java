package io.github.compressredis.autoconfigure.metrics;

import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.autoconfigure.CompressionTargets;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the compress-redis Micrometer meters, when Micrometer is present.
 */
@AutoConfiguration(after = CompressRedisAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
@ConditionalOnBean(CompressionStats.class)
public final class CompressRedisMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CompressionMetrics compressionMetrics(CompressionStats compressionStats,
			CompressionPolicyHolder compressionPolicyHolder) {
		return new CompressionMetrics(compressionStats, compressionPolicyHolder);
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

}
