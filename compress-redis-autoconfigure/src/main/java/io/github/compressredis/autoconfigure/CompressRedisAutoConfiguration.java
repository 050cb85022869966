package io.github.compressredis.autoconfigure;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionaryStore;
import io.github.compressredis.core.dictionary.RedisDictionaryStore;
import io.github.compressredis.core.foreign.ForeignFormat;
import io.github.compressredis.core.foreign.ForeignFormats;
import io.github.compressredis.core.internal.policy.PolicyPatch;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.CompressionStats;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Auto-configuration for compress-redis: the policy, codecs, statistics and the
 * serializer factory, applied to RedisTemplate and ReactiveRedisTemplate beans. Spring
 * Cache and Spring Session are configured by the imported configurations when they are
 * present.
 *
 * @author compress-redis contributors
 */
// ordered by the names of Boot 4 (first) and Boot 3.5: the classes moved between them
@AutoConfiguration(
		beforeName = { "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
				"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
				"org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
				"org.springframework.boot.autoconfigure.session.SessionAutoConfiguration" },
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration" })
@ConditionalOnClass(RedisSerializer.class)
@ConditionalOnBooleanProperty(name = "compress.redis.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CompressRedisProperties.class)
@Import({ CompressRedisCacheConfiguration.class, CompressRedisSessionConfiguration.class })
public final class CompressRedisAutoConfiguration {

	private static final Bindable<Map<String, Map<String, String>>> FIELDS_BY_CACHE = Bindable
		.of(ResolvableType.forClassWithGenerics(Map.class, ResolvableType.forClass(String.class),
				ResolvableType.forClassWithGenerics(Map.class, String.class, String.class)));

	@Bean
	@ConditionalOnMissingBean
	PolicyPipeline compressionPolicyPipeline(CodecRegistry compressionCodecRegistry,
			ObjectProvider<CompressionPolicy> userPolicy, ListableBeanFactory beanFactory) {
		return new PolicyPipeline(new PolicyValidator(compressionCodecRegistry::isAvailable),
				pinningBean(userPolicy, beanFactory));
	}

	// the bean the startup policy is taken from, if any: it pins the policy
	private static @Nullable String pinningBean(ObjectProvider<CompressionPolicy> userPolicy,
			ListableBeanFactory beanFactory) {
		if (userPolicy.getIfUnique() == null) {
			return null;
		}
		String[] names = beanFactory.getBeanNamesForType(CompressionPolicy.class);
		return (names.length == 1) ? names[0] : "CompressionPolicy";
	}

	@Bean
	@ConditionalOnMissingBean
	CompressionPolicyHolder compressionPolicyHolder(CompressRedisProperties properties,
			ObjectProvider<CompressionPolicy> userPolicy, PolicyPipeline compressionPolicyPipeline,
			Environment environment) {
		CompressionPolicy policy = userPolicy.getIfUnique();
		if (policy != null) {
			return new CompressionPolicyHolder(policy, PolicySource.BEAN);
		}
		try {
			compressionPolicyPipeline.checkApplicationFields(ConfigurationPropertySources.get(environment));
			return new CompressionPolicyHolder(
					compressionPolicyPipeline.resolve(CompressionPolicy.defaults(), properties.toPatch()),
					PolicySource.PROPERTIES);
		}
		catch (PolicyRefusedException ex) {
			throw InvalidCompressRedisPropertyException.of("compress.redis", ex);
		}
	}

	@Bean
	@ConditionalOnMissingBean
	CodecRegistry compressionCodecRegistry() {
		return new CodecRegistry();
	}

	@Bean
	@ConditionalOnMissingBean
	CompressionStats compressionStats() {
		return new CompressionStats();
	}

	@Bean
	@ConditionalOnMissingBean
	CompressingSerializerFactory compressingSerializerFactory(ValueCompressor valueCompressor,
			ObjectProvider<CompressionTargets> compressionTargets, CompressRedisProperties properties,
			ObjectProvider<DictionaryRegistry> dictionaryRegistry, PolicyPipeline compressionPolicyPipeline,
			Environment environment) {
		// bound here, not where Boot's cache manager is customized, so that a cache
		// manager the
		// application builds itself gets the same per-cache policies through the factory
		Map<String, PolicyPatch> cachePolicies = properties.getCache().isEnabled()
				? bindCachePolicies(properties, compressionPolicyPipeline, environment) : Map.of();
		// without targets, the application's own ValueCompressor: every target writes
		// with it, as it is
		return new CompressingSerializerFactory(valueCompressor, compressionTargets.getIfUnique(),
				properties.getDictionary().isEnabled() ? dictionaryRegistry.getIfUnique() : null, cachePolicies);
	}

	@Bean
	static RedisTemplateCompressionPostProcessor redisTemplateCompressionPostProcessor(
			ObjectProvider<CompressingSerializerFactory> factory, ObjectProvider<CompressRedisProperties> properties) {
		return new RedisTemplateCompressionPostProcessor(factory::getObject, properties::getObject);
	}

	/**
	 * Bind the policy override of each cache, strictly: a misspelt field is refused here
	 * as it is in Nacos and the endpoint.
	 * @param properties the properties
	 * @param pipeline the pipeline that binds overrides
	 * @param environment the environment
	 * @return the override of each cache that has one, by cache name
	 */
	private static Map<String, PolicyPatch> bindCachePolicies(CompressRedisProperties properties,
			PolicyPipeline pipeline, Environment environment) {
		Map<String, PolicyPatch> overrides = new LinkedHashMap<>();
		Binder binder = Binder.get(environment);
		// every name under compress.redis.cache.policies, also one whose fields are all
		// misspelt
		Set<String> names = new LinkedHashSet<>(properties.getCache().getPolicies().keySet());
		binder.bind("compress.redis.cache.policies", FIELDS_BY_CACHE)
			.ifBound((fields) -> names.addAll(fields.keySet()));
		for (String name : names) {
			String property = CompressingSerializerFactory.cachePolicyProperty(name);
			try {
				overrides.put(name, pipeline.bindOverride(binder, property));
			}
			catch (PolicyRefusedException ex) {
				throw InvalidCompressRedisPropertyException.of(property, ex);
			}
		}
		return overrides;
	}

	/**
	 * The shared compressor and the named targets built on it, unless the application
	 * defines its own {@link ValueCompressor}, which is then used as it is.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(ValueCompressor.class)
	static class CompressorConfiguration {

		@Bean
		ValueCompressor valueCompressor(CompressionPolicyHolder compressionPolicyHolder,
				CodecRegistry compressionCodecRegistry, CompressionStats compressionStats,
				ObjectProvider<DictionaryRegistry> dictionaryRegistry, ObjectProvider<CompressionBreaker> breaker,
				CompressRedisProperties properties) {
			Set<ForeignFormat> foreign = properties.getReadForeign();
			// readers find dictionaries whether or not writers use them, so turning them
			// off keeps values readable
			return ValueCompressor.builder()
				.policies(compressionPolicyHolder)
				.codecs(compressionCodecRegistry)
				.stats(compressionStats)
				.breaker(breaker.getIfUnique())
				.dictionaries(dictionaryRegistry.getIfUnique())
				.foreignFormats(foreign.isEmpty() ? null : new ForeignFormats(foreign, compressionCodecRegistry))
				.build();
		}

		@Bean
		@ConditionalOnMissingBean
		CompressionTargets compressionTargets(ValueCompressor valueCompressor, PolicyPipeline compressionPolicyPipeline,
				ObjectProvider<CompressionTargets.BreakerFactory> breakers, CompressRedisProperties properties,
				ObjectProvider<DictionaryRegistry> dictionaryRegistry) {
			return new CompressionTargets(valueCompressor, compressionPolicyPipeline, breakers.getIfUnique(),
					properties.getDictionary().isEnabled() ? dictionaryRegistry.getIfUnique() : null);
		}

	}

	/**
	 * Dictionaries live in the application's Redis, so they need its connection factory.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnBean(RedisConnectionFactory.class)
	static class DictionaryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DictionaryStore compressionDictionaryStore(RedisConnectionFactory redisConnectionFactory,
				CompressRedisProperties properties) {
			return new RedisDictionaryStore(redisConnectionFactory, properties.getDictionary().getPrefix());
		}

		@Bean
		@ConditionalOnMissingBean
		DictionaryRegistry compressionDictionaryRegistry(DictionaryStore compressionDictionaryStore,
				CompressRedisProperties properties) {
			try {
				return new DictionaryRegistry(compressionDictionaryStore, properties.getDictionary().toSettings());
			}
			catch (IllegalArgumentException ex) {
				throw InvalidCompressRedisPropertyException.of("compress.redis.dictionary", ex);
			}
		}

	}

}
