package io.github.compressredis.autoconfigure;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the named targets the auto-configuration creates: their names, their
 * overrides bound strictly, and what a global change does to them. Nothing here talks to
 * Redis.
 */
class NamedTargetsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataRedis(),
				CompressRedisAutoConfiguration.class, CompressRedisResilienceAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("spring.cache.type=redis", "spring.cache.cache-names=products,prices");

	@Test
	void everyTemplateCacheAndTheSessionIsANamedTarget() {
		this.contextRunner.run((context) -> {
			context.getBean(RedisCacheManager.class);
			assertThat(context.getBean(CompressionTargets.class).targets()).extracting(CompressionTargets.Target::name)
				.contains("template:redisTemplate", "template:stringRedisTemplate", "cache:products", "cache:prices",
						CompressionTargets.RUNTIME_CACHES, "session");
		});
	}

	@Test
	void overrideIsDerivedFromTheGlobalPolicyAndFollowsIt() {
		this.contextRunner
			.withPropertyValues("compress.redis.level=9", "compress.redis.cache.policies.products.algorithm=zstd",
					"compress.redis.cache.policies.products.min-size=1KB")
			.run((context) -> {
				context.getBean(RedisCacheManager.class);
				CompressionTargets.Target products = context.getBean(CompressionTargets.class).target("cache:products");
				assertThat(products.policies().policy().level()).isEqualTo(9);
				assertThat(products.policies().policy().minSize()).isEqualTo(1024);
				CompressionPolicyHolder global = context.getBean(CompressionPolicyHolder.class);
				global.update(global.policy().toBuilder().algorithm(Algorithm.GZIP).level(null).build(),
						PolicySource.NACOS);
				assertThat(products.policies().policy().algorithm()).isEqualTo(Algorithm.ZSTD);
				assertThat(products.policies().policy().level()).isEqualTo(Algorithm.ZSTD.defaultLevel());
			});
	}

	@Test
	void unknownFieldInACacheOverrideFailsStartupNamingIt() {
		this.contextRunner.withPropertyValues("compress.redis.cache.policies.products.levle=5")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("unknown field 'cache.policies.products.levle' under compress.redis"));
	}

	@Test
	void invalidCacheOverrideFailsStartupNamingTheTarget() {
		this.contextRunner.withPropertyValues("compress.redis.cache.policies.products.level=99")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(
						"Invalid compress.redis.cache.policies[products].level: 99 is out of range for zstd (-22 to 22)"));
	}

	@Test
	void applicationYmlWithAnAbsentLibraryFailsStartup() {
		this.contextRunner.withPropertyValues("compress.redis.algorithm=snappy")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid compress.redis.algorithm: snappy is not available"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
