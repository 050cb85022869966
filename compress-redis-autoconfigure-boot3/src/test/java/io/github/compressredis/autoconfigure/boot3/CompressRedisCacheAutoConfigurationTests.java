package io.github.compressredis.autoconfigure.boot3;

import java.nio.ByteBuffer;

import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.cache.RedisCacheManagerBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot 3.5's cache manager gets compressed caches from
 * {@link CompressRedisCacheAutoConfiguration}, with the per-cache policies, and is left
 * alone when cache compression or compress-redis is off. No Redis is needed: the caches'
 * serializers are checked directly.
 *
 * @author compress-redis contributors
 */
class CompressRedisCacheAutoConfigurationTests {

	private static final String VALUE = "compress-redis keeps cache entries small. ".repeat(40);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisAutoConfiguration.class, CacheAutoConfiguration.class,
				CompressRedisAutoConfiguration.class, CompressRedisCacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("spring.cache.type=redis", "spring.cache.cache-names=a,b", "spring.data.redis.port=1");

	@Test
	void cachesAreCompressedWithTheirOwnPolicies() {
		this.contextRunner.withPropertyValues("compress.redis.cache.policies.b.algorithm=lz4").run((context) -> {
			RedisCacheManager cacheManager = context.getBean(RedisCacheManager.class);
			byte[] a = write(cacheManager, "a");
			byte[] b = write(cacheManager, "b");
			assertThat(isFramed(a)).isTrue();
			// format version 1, codec 1 (zstd) for a, 2 (lz4) for b
			assertThat(a[2]).isEqualTo((byte) 0x11);
			assertThat(b[2]).isEqualTo((byte) 0x12);
			assertThat(a.length).isLessThan(VALUE.length() / 4);
			assertThat(configuration(cacheManager, "b").getValueSerializationPair().read(ByteBuffer.wrap(a)))
				.isEqualTo(VALUE);
		});
	}

	@Test
	void cacheManagerIsLeftAloneWhenCacheCompressionIsDisabled() {
		this.contextRunner.withPropertyValues("compress.redis.cache.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisCacheManagerBuilderCustomizer.class);
			assertThat(isFramed(write(context.getBean(RedisCacheManager.class), "a"))).isFalse();
		});
	}

	@Test
	void backsOffWhenCompressRedisIsDisabled() {
		this.contextRunner.withPropertyValues("compress.redis.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisCacheManagerBuilderCustomizer.class);
			assertThat(isFramed(write(context.getBean(RedisCacheManager.class), "a"))).isFalse();
		});
	}

	// the compress-redis magic C1 8D (FORMAT.md)
	private static boolean isFramed(byte[] stored) {
		return stored.length > 2 && stored[0] == (byte) 0xC1 && stored[1] == (byte) 0x8D;
	}

	private static RedisCacheConfiguration configuration(RedisCacheManager cacheManager, String name) {
		return cacheManager.getCacheConfigurations().get(name);
	}

	private static byte[] write(RedisCacheManager cacheManager, String name) {
		ByteBuffer buffer = configuration(cacheManager, name).getValueSerializationPair().write(VALUE);
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
