package io.github.compressredis.autoconfigure;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Auto-configuration for compress-redis: the policy, codecs, statistics and the serializer
 * factory, applied to RedisTemplate and ReactiveRedisTemplate beans. Spring Cache and Spring
 * Session are configured by the imported configurations when they are present.
 */
@AutoConfiguration(beforeName = { "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
		"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration" })
@ConditionalOnClass(RedisSerializer.class)
@ConditionalOnBooleanProperty(name = "compress.redis.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CompressRedisProperties.class)
@Import({ CompressRedisCacheConfiguration.class, CompressRedisSessionConfiguration.class })
public final class CompressRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CompressionPolicyHolder compressionPolicyHolder(CompressRedisProperties properties,
			ObjectProvider<CompressionPolicy> userPolicy) {
		CompressionPolicy policy = userPolicy.getIfUnique();
		if (policy != null) {
			return new CompressionPolicyHolder(policy, PolicySource.BEAN);
		}
		try {
			return new CompressionPolicyHolder(properties.toPolicy(), PolicySource.PROPERTIES);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid compress.redis configuration: " + ex.getMessage(), ex);
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
	ValueCompressor valueCompressor(CompressionPolicyHolder compressionPolicyHolder,
			CodecRegistry compressionCodecRegistry, CompressionStats compressionStats) {
		return new ValueCompressor(compressionPolicyHolder, compressionCodecRegistry, compressionStats);
	}

	@Bean
	@ConditionalOnMissingBean
	CompressingSerializerFactory compressingSerializerFactory(ValueCompressor valueCompressor) {
		return new CompressingSerializerFactory(valueCompressor);
	}

	@Bean
	static RedisTemplateCompressionPostProcessor redisTemplateCompressionPostProcessor(
			ObjectProvider<CompressingSerializerFactory> factory, ObjectProvider<CompressRedisProperties> properties) {
		return new RedisTemplateCompressionPostProcessor(factory::getObject, properties::getObject);
	}

}
