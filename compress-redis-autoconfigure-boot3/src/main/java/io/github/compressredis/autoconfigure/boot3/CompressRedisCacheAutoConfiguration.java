package io.github.compressredis.autoconfigure.boot3;

import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.autoconfigure.CompressingSerializerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.cache.RedisCacheManagerBuilderCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.cache.RedisCacheManager;

/**
 * Compresses the Spring Cache entries of Boot 3.5's RedisCacheManager through Boot 3.5's
 * {@link RedisCacheManagerBuilderCustomizer}, as the shared auto-configuration does with
 * Boot 4's: {@link CompressingSerializerFactory#compressCaches} on its builder.
 *
 * @author compress-redis contributors
 */
@AutoConfiguration(after = CompressRedisAutoConfiguration.class,
		beforeName = "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration")
@ConditionalOnClass({ RedisCacheManager.class, RedisCacheManagerBuilderCustomizer.class })
@ConditionalOnBean(CompressingSerializerFactory.class)
@ConditionalOnBooleanProperty(name = "compress.redis.cache.enabled", matchIfMissing = true)
public final class CompressRedisCacheAutoConfiguration {

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	RedisCacheManagerBuilderCustomizer compressingRedisCacheManagerBuilderCustomizer(
			CompressingSerializerFactory compressingSerializerFactory) {
		return compressingSerializerFactory::compressCaches;
	}

}
