package io.github.compressredis.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Compresses Spring Cache entries of Boot's RedisCacheManager, keeping everything else of
 * the application's RedisCacheConfiguration (TTL, key prefix, value serializer), with
 * per-cache policies from {@code compress.redis.cache.policies}. The customizer of Boot 4
 * is declared here; Boot 3.5 has the same interface in another package, whose customizer
 * {@code compress-redis-autoconfigure-boot3} declares. Both call
 * {@link CompressingSerializerFactory#compressCaches}.
 *
 * @author compress-redis contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.data.redis.cache.RedisCacheManager")
@ConditionalOnBooleanProperty(name = "compress.redis.cache.enabled", matchIfMissing = true)
@Import({ CompressRedisCacheConfiguration.Boot4CustomizerConfiguration.class,
		CompressRedisFailOpenCacheConfiguration.class })
class CompressRedisCacheConfiguration {

	// a class of its own, read by name first: on Boot 3.5 its customizer type is absent
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer")
	static class Boot4CustomizerConfiguration {

		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE)
		RedisCacheManagerBuilderCustomizer compressingRedisCacheManagerBuilderCustomizer(
				CompressingSerializerFactory compressingSerializerFactory) {
			return compressingSerializerFactory::compressCaches;
		}

	}

}
