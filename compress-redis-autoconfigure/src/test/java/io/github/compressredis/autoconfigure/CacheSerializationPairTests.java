package io.github.compressredis.autoconfigure;

import java.nio.ByteBuffer;

import io.github.compressredis.core.codec.Algorithm;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CompressingSerializerFactory#forCache}: a RedisCacheManager the
 * application builds itself compresses each cache as the auto-configured one does.
 * Nothing here talks to Redis.
 */
class CacheSerializationPairTests {

	private static final String VALUE = "{\"name\":\"Vila\",\"country\":\"AD\"}".repeat(100);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataRedis(),
				CompressRedisAutoConfiguration.class, CompressRedisResilienceAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
		.withPropertyValues("spring.cache.type=redis", "spring.cache.cache-names=products",
				"compress.redis.cache.policies.products.algorithm=lz4");

	@Test
	void ownCacheManagerWritesACacheAsTheAutoConfiguredOneWithItsOverrideBreakerAndTarget() {
		byte[][] written = new byte[2][];
		this.contextRunner.withUserConfiguration(CachingConfiguration.class).run((context) -> {
			written[0] = write(context, "products");
			assertThat(target(context, "cache:products").stats().compressedWrites(Algorithm.LZ4)).isOne();
		});
		this.contextRunner.withUserConfiguration(OwnCacheManagerConfiguration.class).run((context) -> {
			assertThat(context.getBean(RedisCacheManager.class)).isSameAs(context.getBean("ownCacheManager"));
			written[1] = write(context, "products");
			CompressionTargets.Target products = target(context, "cache:products");
			assertThat(products.override().toString()).contains("lz4");
			assertThat(products.stats().compressedWrites(Algorithm.LZ4)).isOne();
			assertThat(products.breaker()).isNotNull();
			assertThat(products.compressor().getBreaker()).isSameAs(products.breaker());
		});
		assertThat(written[1]).hasSizeLessThan(VALUE.length()).isEqualTo(written[0]);
	}

	@Test
	void ownCacheManagerWritesRuntimeCachesToTheSharedRuntimeTarget() {
		this.contextRunner.withUserConfiguration(OwnCacheManagerConfiguration.class).run((context) -> {
			RedisCacheManager manager = context.getBean(RedisCacheManager.class);
			manager.getCache("created-at-runtime");
			write(context, "created-at-runtime");
			CompressionTargets.Target runtime = target(context, CompressionTargets.RUNTIME_CACHES);
			assertThat(runtime.stats().writes()).isOne();
			assertThat(runtime.stats().compressedWrites(Algorithm.LZ4)).isZero();
			assertThat(target(context, "cache:products").stats().writes()).isZero();
		});
	}

	@Test
	void aCacheWithoutOverrideFollowsTheGlobalPolicy() {
		this.contextRunner.withUserConfiguration(OwnCacheManagerConfiguration.class)
			.withPropertyValues("compress.redis.algorithm=gzip")
			.run((context) -> {
				write(context, "prices");
				CompressionTargets.Target prices = target(context, "cache:prices");
				assertThat(prices.override().isEmpty()).isTrue();
				assertThat(prices.stats().compressedWrites(Algorithm.GZIP)).isOne();
			});
	}

	@Test
	void ownCacheManagerWithAnInvalidCacheOverrideFailsStartupNamingTheProperty() {
		this.contextRunner.withUserConfiguration(OwnCacheManagerConfiguration.class)
			.withPropertyValues("compress.redis.cache.policies.prices.level=99")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(InvalidCompressRedisPropertyException.class.getName()
						+ ": Invalid compress.redis.cache.policies[prices].level: 99 is out of range for zstd (-22 to 22)"));
	}

	private static byte[] write(AssertableApplicationContext context, String cacheName) {
		RedisCacheManager manager = context.getBean(RedisCacheManager.class);
		manager.getCache(cacheName);
		RedisCacheConfiguration configuration = manager.getCacheConfigurations().get(cacheName);
		ByteBuffer buffer = configuration.getValueSerializationPair().write(VALUE);
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	private static CompressionTargets.Target target(AssertableApplicationContext context, String name) {
		CompressionTargets.Target target = context.getBean(CompressionTargets.class).target(name);
		assertThat(target).as(name).isNotNull();
		return target;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class OwnCacheManagerConfiguration {

		@Bean
		RedisCacheManager ownCacheManager(RedisConnectionFactory connectionFactory,
				CompressingSerializerFactory factory) {
			RedisCacheConfiguration defaults = RedisCacheConfiguration.defaultCacheConfig();
			return RedisCacheManager.builder(connectionFactory)
				.withCacheConfiguration("products", factory.forCache("products", defaults))
				.withCacheConfiguration("prices", factory.forCache("prices", defaults))
				.cacheDefaults(factory.forRuntimeCaches(defaults))
				.build();
		}

	}

}
