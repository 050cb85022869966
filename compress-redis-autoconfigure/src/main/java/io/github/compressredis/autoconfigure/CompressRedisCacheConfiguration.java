package io.github.compressredis.autoconfigure;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.policy.PolicyPatch;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
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

	private static final Bindable<Map<String, Map<String, String>>> FIELDS_BY_CACHE = Bindable
		.of(ResolvableType.forClassWithGenerics(Map.class, ResolvableType.forClass(String.class),
				ResolvableType.forClassWithGenerics(Map.class, String.class, String.class)));

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	RedisCacheManagerBuilderCustomizer compressingRedisCacheManagerBuilderCustomizer(
			CompressingSerializerFactory compressingSerializerFactory, CompressRedisProperties properties,
			PolicyPipeline compressionPolicyPipeline, Environment environment) {
		Map<String, PolicyPatch> overrides = new LinkedHashMap<>();
		Binder binder = Binder.get(environment);
		// every name under compress.redis.cache.policies, also one whose fields are all misspelt
		Set<String> names = new LinkedHashSet<>(properties.getCache().getPolicies().keySet());
		binder.bind("compress.redis.cache.policies", FIELDS_BY_CACHE).ifBound((fields) -> names.addAll(fields.keySet()));
		for (String name : names) {
			String property = overrideProperty(name);
			try {
				// bound again, strictly: a misspelt field is refused here as it is in Nacos and the endpoint
				overrides.put(name, compressionPolicyPipeline.bindOverride(binder, property));
			}
			catch (PolicyRefusedException ex) {
				throw InvalidCompressRedisPropertyException.of(property, ex);
			}
		}
		return (builder) -> customize(builder, compressingSerializerFactory, overrides);
	}

	static void customize(RedisCacheManager.RedisCacheManagerBuilder builder, CompressingSerializerFactory factory,
			Map<String, PolicyPatch> policies) {
		RedisCacheConfiguration defaults = builder.cacheDefaults();
		Set<String> configured = Set.copyOf(builder.getConfiguredCaches());
		for (String name : configured) {
			RedisCacheConfiguration configuration = builder.getCacheConfigurationFor(name).orElse(defaults);
			builder.withCacheConfiguration(name, compress(configuration, factory, policies.get(name), "cache:" + name));
		}
		for (Map.Entry<String, PolicyPatch> entry : policies.entrySet()) {
			if (!configured.contains(entry.getKey())) {
				builder.withCacheConfiguration(entry.getKey(),
						compress(defaults, factory, entry.getValue(), "cache:" + entry.getKey()));
			}
		}
		// caches created at runtime, not named in the configuration, share one dictionary target
		builder.cacheDefaults(compress(defaults, factory, null, CompressionTargets.RUNTIME_CACHES));
	}

	private static String overrideProperty(String cacheName) {
		return "compress.redis.cache.policies[" + cacheName + "]";
	}

	private static RedisCacheConfiguration compress(RedisCacheConfiguration configuration,
			CompressingSerializerFactory factory, @Nullable PolicyPatch override, String target) {
		ValueCompressor compressor;
		try {
			compressor = factory.compressorFor(target, (override != null) ? override : PolicyPatch.empty());
		}
		catch (IllegalStateException ex) {
			if (override != null && ex.getCause() instanceof PolicyRefusedException refused) {
				// the override is valid on its own but not on the global policy: name the cache's property
				throw InvalidCompressRedisPropertyException.of(overrideProperty(target.substring("cache:".length())),
						refused);
			}
			throw ex;
		}
		return configuration.serializeValuesWith(
				CompressingSerializerFactory.wrap(configuration.getValueSerializationPair(), compressor));
	}

}
