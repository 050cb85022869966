package io.github.compressredis.autoconfigure;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint;
import io.github.compressredis.actuate.endpoint.WritableCompressionEndpoint;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@code /actuator/compression}, when the actuator is present. The write
 * operation exists only with {@code compress.redis.endpoint.write-enabled=true}.
 */
@AutoConfiguration(after = CompressRedisAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBean(CompressionPolicyHolder.class)
public final class CompressionEndpointAutoConfiguration {

	// on the method, so that its condition class is only loaded once the class conditions matched
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(CompressionEndpoint.class)
	CompressionEndpoint compressionEndpoint(CompressionPolicyHolder compressionPolicyHolder,
			CompressionStats compressionStats, CompressRedisProperties properties,
			ObjectProvider<DictionaryRegistry> dictionaryRegistry) {
		CompressionEndpoint endpoint = properties.getEndpoint().isWriteEnabled()
				? new WritableCompressionEndpoint(compressionPolicyHolder, compressionStats)
				: new CompressionEndpoint(compressionPolicyHolder, compressionStats);
		endpoint.setDictionaries(dictionaryRegistry.getIfUnique());
		return endpoint;
	}

}
