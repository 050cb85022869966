package io.github.compressredis.autoconfigure;

import java.nio.ByteBuffer;
import java.time.Duration;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.resilience.BreakerSettings;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.BreakerState;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import io.github.compressredis.core.stats.WriteOutcome;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CompressRedisResilienceAutoConfiguration}. Nothing here talks to
 * Redis.
 */
class CompressRedisResilienceAutoConfigurationTests {

	private static final String VALUE = TestPayloads.json(4096);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataRedis(),
				CompressRedisAutoConfiguration.class, CompressRedisResilienceAutoConfiguration.class));

	@Test
	void breakerIsGivenToTheValueCompressorByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CompressionBreaker.class);
			CompressionBreaker breaker = context.getBean(CompressionBreaker.class);
			assertThat(context.getBean(ValueCompressor.class).getBreaker()).isSameAs(breaker);
			assertThat(context.getBean(CompressingSerializerFactory.class).getCompressor().getBreaker())
				.isSameAs(breaker);
			assertThat(breaker.getSettings()).hasToString(BreakerSettings.defaults().toString());
			assertThat(context.getBean(CompressionStats.class).breakerStatus().state()).isEqualTo(BreakerState.CLOSED);
		});
	}

	@Test
	void breakerSettingsAreBoundFromProperties() {
		this.contextRunner.withPropertyValues("compress.redis.resilience.breaker.latency-budget=25ms",
				"compress.redis.resilience.breaker.latency-budget-per-mb=5ms",
				"compress.redis.resilience.breaker.max-cost-ratio=4",
				"compress.redis.resilience.breaker.slow-call-rate=0.8",
				"compress.redis.resilience.breaker.host-cpu-threshold=0.95",
				"compress.redis.resilience.breaker.window=5s", "compress.redis.resilience.breaker.minimum-calls=50",
				"compress.redis.resilience.breaker.minimum-samples=7",
				"compress.redis.resilience.breaker.failure-threshold=3",
				"compress.redis.resilience.breaker.failure-rate=0.25", "compress.redis.resilience.breaker.cool-down=1m",
				"compress.redis.resilience.breaker.probes=2", "compress.redis.resilience.breaker.fallback=plain")
			.run((context) -> {
				BreakerSettings settings = context.getBean(CompressionBreaker.class).getSettings();
				assertThat(settings.latencyBudget()).isEqualTo(Duration.ofMillis(25));
				assertThat(settings.latencyBudgetPerMb()).isEqualTo(Duration.ofMillis(5));
				assertThat(settings.maxCostRatio()).isEqualTo(4.0);
				assertThat(settings.slowCallRate()).isEqualTo(0.8);
				assertThat(settings.hostCpuThreshold()).isEqualTo(0.95);
				assertThat(settings.window()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.minimumCalls()).isEqualTo(50);
				assertThat(settings.minimumSamples()).isEqualTo(7);
				assertThat(settings.failureThreshold()).isEqualTo(3);
				assertThat(settings.failureRate()).isEqualTo(0.25);
				assertThat(settings.coolDown()).isEqualTo(Duration.ofMinutes(1));
				assertThat(settings.probes()).isEqualTo(2);
				assertThat(settings.fallback()).isEqualTo(BreakerSettings.Fallback.PLAIN);
			});
	}

	@Test
	void breakerCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("compress.redis.resilience.breaker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(CompressionBreaker.class);
			assertThat(context.getBean(ValueCompressor.class).getBreaker()).isNull();
			assertThat(context.getBean(CompressionStats.class).breakerStatus().state())
				.isEqualTo(BreakerState.DISABLED);
		});
	}

	@Test
	void invalidBreakerSettingsFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("compress.redis.resilience.breaker.latency-budget=0ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'latency-budget' must be positive"));
	}

	@Test
	void breakerBacksOffWhenTheApplicationDefinesOne() {
		this.contextRunner.withUserConfiguration(UserBreakerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CompressionBreaker.class);
			assertThat(context.getBean(ValueCompressor.class).getBreaker()).isSameAs(context.getBean("userBreaker"));
		});
	}

	@Test
	void eachCacheHasItsOwnBreaker() {
		// the first compression of a zstd value trips cache a's breaker (1 ns budget, 1
		// call);
		// cache b, with a breaker of its own, still compresses at its policy
		this.contextRunner.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("spring.cache.type=redis", "spring.cache.cache-names=a,b",
					"compress.redis.cache.policies.b.algorithm=lz4",
					"compress.redis.resilience.breaker.latency-budget=1ns",
					"compress.redis.resilience.breaker.latency-budget-per-mb=0ms",
					"compress.redis.resilience.breaker.minimum-calls=1",
					"compress.redis.resilience.breaker.minimum-samples=1")
			.run((context) -> {
				RedisCacheManager cacheManager = context.getBean(RedisCacheManager.class);
				CompressionTargets targets = context.getBean(CompressionTargets.class);
				assertThat(TestPayloads.isFramed(write(cacheManager, "a"))).isTrue();
				assertThat(targets.target("cache:a").breakerStatus().state()).isEqualTo(BreakerState.DEGRADED);
				assertThat(targets.target("cache:b").breakerStatus().state()).isEqualTo(BreakerState.CLOSED);
				assertThat(targets.target("cache:a").breaker()).isNotSameAs(targets.target("cache:b").breaker());
				assertThat(TestPayloads.isFramed(write(cacheManager, "b"))).isTrue();
				assertThat(targets.target("cache:b").stats().writes(WriteOutcome.COMPRESSED)).isOne();
				assertThat(targets.target("cache:b").stats().compressedWrites(Algorithm.LZ4)).isOne();
				assertThat(context.getBean(CompressionStats.class).breakerStatus().state())
					.as("the most severe of the targets' breakers")
					.isEqualTo(BreakerState.DEGRADED);
				// b's write is over the same 1 ns budget too, but lz4 fast has no faster
				// level: b's breaker
				// keeps it (never plain for slowness), so the only trip is a's
				assertThat(context.getBean(CompressionStats.class).breakerTrips(FallbackReason.SLOW)).isOne();
				assertThat(targets.target("cache:b").stats().writes(WriteOutcome.SKIPPED)).isZero();
			});
	}

	@Test
	void applicationValueCompressorIsKeptAsIs() {
		this.contextRunner.withUserConfiguration(UserCompressorConfiguration.class).run((context) -> {
			ValueCompressor user = context.getBean("userCompressor", ValueCompressor.class);
			assertThat(context).hasSingleBean(ValueCompressor.class);
			assertThat(context.getBean(ValueCompressor.class)).isSameAs(user);
			assertThat(user.getBreaker()).isNull();
			assertThat(context).doesNotHaveBean(CompressionTargets.class);
			CompressingSerializerFactory factory = context.getBean(CompressingSerializerFactory.class);
			assertThat(factory.getCompressor()).isSameAs(user);
			assertThat(factory.compressorFor("template:redisTemplate")).isSameAs(user);
		});
	}

	@Test
	void aPolicyChangeGivesATrippedBreakerTheNewPolicyAtOnce() {
		this.contextRunner.withPropertyValues("compress.redis.resilience.breaker.latency-budget=1ns",
				"compress.redis.resilience.breaker.latency-budget-per-mb=0ms",
				"compress.redis.resilience.breaker.minimum-calls=1",
				"compress.redis.resilience.breaker.minimum-samples=1", "compress.redis.resilience.breaker.cool-down=1h")
			.run((context) -> {
				CompressionStats stats = context.getBean(CompressionStats.class);
				ValueCompressor compressor = context.getBean(ValueCompressor.class);
				compressor.compress(VALUE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
				assertThat(stats.breakerStatus().state()).isEqualTo(BreakerState.DEGRADED);
				CompressionPolicyHolder policies = context.getBean(CompressionPolicyHolder.class);
				policies.update(policies.policy().toBuilder().algorithm(Algorithm.LZ4).level(0).build(),
						PolicySource.ENDPOINT);
				assertThat(stats.breakerStatus().state()).as("not an hour later").isEqualTo(BreakerState.HALF_OPEN);
				assertThat(stats.breakerStatus().detail()).contains("policy version 2 from endpoint");
			});
	}

	private static byte[] write(RedisCacheManager cacheManager, String cacheName) {
		RedisCacheConfiguration configuration = cacheManager.getCacheConfigurations().get(cacheName);
		ByteBuffer buffer = configuration.getValueSerializationPair().write(VALUE);
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBreakerConfiguration {

		@Bean
		CompressionBreaker userBreaker(CompressionStats compressionStats) {
			return new CompressionBreaker(BreakerSettings.builder().probes(1).build(), compressionStats);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCompressorConfiguration {

		@Bean
		ValueCompressor userCompressor() {
			return new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()), new CodecRegistry(),
					new CompressionStats());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
