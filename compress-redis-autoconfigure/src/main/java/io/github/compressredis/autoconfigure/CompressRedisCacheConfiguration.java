package io.github.compressredis.autoconfigure;

import java.util.Set;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;

/**
 * Compresses Spring Cache entries of Boot's RedisCacheManager, keeping everything else of
 * the application's RedisCacheConfiguration (TTL, key prefix, value serializer), with
 * per-cache policies from {@code compress.redis.cache.policies}.
 *
 * @author compress-redis contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "org.springframework.data.redis.cache.RedisCacheManager",
		"org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer" })
@ConditionalOnBooleanProperty(name = "compress.redis.cache.enabled", matchIfMissing = true)
@Import(CompressRedisFailOpenCacheConfiguration.class)
class CompressRedisCacheConfiguration {

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	RedisCacheManagerBuilderCustomizer compressingRedisCacheManagerBuilderCustomizer(
			CompressingSerializerFactory compressingSerializerFactory) {
		return (builder) -> customize(builder, compressingSerializerFactory);
	}

	static void customize(RedisCacheManager.RedisCacheManagerBuilder builder, CompressingSerializerFactory factory) {
		RedisCacheConfiguration defaults = builder.cacheDefaults();
		Set<String> configured = Set.copyOf(builder.getConfiguredCaches());
		for (String name : configured) {
			RedisCacheConfiguration configuration = builder.getCacheConfigurationFor(name).orElse(defaults);
			builder.withCacheConfiguration(name, factory.forCache(name, configuration));
		}
		for (String name : factory.getCachePolicyNames()) {
			if (!configured.contains(name)) {
				builder.withCacheConfiguration(name, factory.forCache(name, defaults));
			}
		}
		// caches created at runtime, not named in the configuration, share one dictionary
		// target
		builder.cacheDefaults(factory.forRuntimeCaches(defaults));
	}

}
