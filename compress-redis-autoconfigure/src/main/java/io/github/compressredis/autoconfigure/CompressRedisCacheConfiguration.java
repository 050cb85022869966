package io.github.compressredis.autoconfigure;

import java.util.Map;
import java.util.Set;

import io.github.compressredis.core.ValueCompressor;
import org.jspecify.annotations.Nullable;
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
 * Compresses Spring Cache entries of Boot's RedisCacheManager, keeping everything else of the
 * application's RedisCacheConfiguration (TTL, key prefix, value serializer), with per-cache
 * policies from {@code compress.redis.cache.policies}.
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
			CompressingSerializerFactory compressingSerializerFactory, CompressRedisProperties properties) {
		return (builder) -> customize(builder, compressingSerializerFactory, properties.getCache().getPolicies());
	}

	static void customize(RedisCacheManager.RedisCacheManagerBuilder builder, CompressingSerializerFactory factory,
			Map<String, CompressRedisProperties.PolicyOverride> policies) {
		RedisCacheConfiguration defaults = builder.cacheDefaults();
		Set<String> configured = Set.copyOf(builder.getConfiguredCaches());
		for (String name : configured) {
			RedisCacheConfiguration configuration = builder.getCacheConfigurationFor(name).orElse(defaults);
			builder.withCacheConfiguration(name, compress(configuration, factory, policies.get(name), "cache:" + name));
		}
		for (Map.Entry<String, CompressRedisProperties.PolicyOverride> entry : policies.entrySet()) {
			if (!configured.contains(entry.getKey())) {
				builder.withCacheConfiguration(entry.getKey(),
						compress(defaults, factory, entry.getValue(), "cache:" + entry.getKey()));
			}
		}
		// caches created at runtime, not named in the configuration, share one dictionary target
		builder.cacheDefaults(compress(defaults, factory, null, "cache"));
	}

	private static RedisCacheConfiguration compress(RedisCacheConfiguration configuration,
			CompressingSerializerFactory factory, CompressRedisProperties.@Nullable PolicyOverride override,
			String target) {
		if (override == null) {
			return configuration.serializeValuesWith(factory.wrap(configuration.getValueSerializationPair(), target));
		}
		// a derived compressor shares the breaker, as it shares the codecs and statistics
		ValueCompressor compressor = factory.forTarget(
				factory.derive(override.toPatch()::applyTo).withBreaker(factory.getCompressor().getBreaker()), target);
		return configuration.serializeValuesWith(
				CompressingSerializerFactory.wrap(configuration.getValueSerializationPair(), compressor));
	}

}
