package io.github.compressredis.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.embedded.RedisServerProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code compress.redis.cache.fail-open} against a real redis-server, through
 * {@code @Cacheable} and spring-data-redis's {@code RedisCache}: an entry that cannot be
 * decoded is a miss, the method runs again and its result is stored over the bad entry.
 * Without the property the call fails.
 * <p>
 * Why a {@code CacheErrorHandler} rather than a value reader that returns {@code null}:
 * in spring-data-redis 4.0, {@code RedisCache.get(key, loader)} (a synchronized
 * {@code @Cacheable}) reads the stored bytes, calls the loader only when there are none,
 * and returns whatever the reader makes of them, so a {@code null} from the reader would
 * reach the caller as the method's result.
 * {@link #synchronizedCacheableRecomputesAndStoresAgainOnTheNextCall()} shows the handler
 * path instead.
 */
@ExtendWith(OutputCaptureExtension.class)
class CacheFailOpenIntegrationTests {

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataRedis(),
				CompressRedisAutoConfiguration.class, CompressRedisResilienceAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
				"spring.cache.type=redis");

	@Test
	void undecodableEntryIsAMissThatIsRecomputedAndOverwritten() {
		this.contextRunner.withPropertyValues("compress.redis.cache.fail-open=true").run((context) -> {
			ReportService service = context.getBean(ReportService.class);
			CompressionStats stats = context.getBean(CompressionStats.class);
			String report = service.report("r1");
			byte[] good = awaitStored("reports::r1", null);
			assertThat(TestPayloads.isFramed(good)).isTrue();
			rawSet("reports::r1", Arrays.copyOf(good, good.length - 7));
			assertThat(service.report("r1")).isEqualTo(report);
			assertThat(service.invocations()).as("recomputed").isEqualTo(2);
			assertThat(awaitStored("reports::r1", good)).as("overwritten").isEqualTo(good);
			assertThat(stats.cacheFailOpens()).isOne();
			assertThat(stats.readFailures()).isOne();
			assertThat(service.report("r1")).isEqualTo(report);
			assertThat(service.invocations()).as("then read from the cache").isEqualTo(2);
		});
	}

	@Test
	void synchronizedCacheableRecomputesAndStoresAgainOnTheNextCall() {
		this.contextRunner.withPropertyValues("compress.redis.cache.fail-open=true").run((context) -> {
			ReportService service = context.getBean(ReportService.class);
			String report = service.synced("s1");
			byte[] good = awaitStored("synced::s1", null);
			byte[] forged = good.clone();
			// a forged original length (byte 4 is the first byte of the length varint)
			forged[4] ^= 0x01;
			rawSet("synced::s1", forged);
			assertThat(service.synced("s1")).isEqualTo(report);
			assertThat(service.syncedInvocations()).isEqualTo(2);
			// with Lettuce, Spring Data Redis 4 removes cache entries asynchronously too
			assertThat(awaitEvicted("synced::s1")).as("the bad entry was evicted").isNull();
			assertThat(service.synced("s1")).isEqualTo(report);
			assertThat(service.syncedInvocations()).isEqualTo(3);
			assertThat(awaitStored("synced::s1", good)).isEqualTo(good);
			assertThat(service.synced("s1")).isEqualTo(report);
			assertThat(service.syncedInvocations()).isEqualTo(3);
			assertThat(context.getBean(CompressionStats.class).cacheFailOpens()).isOne();
		});
	}

	@Test
	void withoutFailOpenAnUndecodableEntryFailsTheCall() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(FailOpenCacheErrorHandler.class);
			ReportService service = context.getBean(ReportService.class);
			service.report("r2");
			byte[] good = awaitStored("reports::r2", null);
			rawSet("reports::r2", Arrays.copyOf(good, good.length - 7));
			Throwable thrown = catchThrowable(() -> service.report("r2"));
			assertThat(causedByUndecodableValue(thrown)).as("%s is caused by a CompressedValueException", thrown)
				.isTrue();
			assertThat(service.invocations()).isOne();
			assertThat(context.getBean(CompressionStats.class).cacheFailOpens()).isZero();
		});
	}

	@Test
	void applicationCachingConfigurerWinsAndIsToldHowToFailOpen(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(UserCachingConfigurer.class)
			.withPropertyValues("compress.redis.cache.fail-open=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(CachingConfigurer.class)
					.hasSingleBean(FailOpenCacheErrorHandler.class);
				assertThat(output)
					.contains("compress.redis.cache.fail-open is set, but the application's CachingConfigurer");
			});
	}

	private static boolean causedByUndecodableValue(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof CompressedValueException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Wait for a value to be stored: Boot's RedisCacheManager writes asynchronously with
	 * Lettuce.
	 * @param key the key
	 * @param expected the value to wait for, {@code null} for any
	 * @return the value stored last
	 */
	private static byte[] awaitEvicted(String key) {
		Awaitility.await(key + " evicted")
			.atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> rawGet(key) == null);
		return rawGet(key);
	}

	private static byte[] awaitStored(String key, byte[] expected) {
		return Awaitility.await(key + " stored")
			.atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> rawGet(key),
					(stored) -> stored != null && (expected == null || Arrays.equals(stored, expected)));
	}

	private static byte[] rawGet(String key) {
		return (byte[]) redis.command("GET", key);
	}

	private static void rawSet(String key, byte[] value) {
		redis.command("SET", key, value);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

		@Bean
		ReportService reportService() {
			return new ReportService();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCachingConfigurer implements CachingConfigurer {

	}

	public static class ReportService {

		private final AtomicInteger invocations = new AtomicInteger();

		private final AtomicInteger synced = new AtomicInteger();

		@Cacheable("reports")
		public String report(String id) {
			this.invocations.incrementAndGet();
			return TestPayloads.json(8 * 1024) + id;
		}

		@Cacheable(cacheNames = "synced", sync = true)
		public String synced(String id) {
			this.synced.incrementAndGet();
			return TestPayloads.json(8 * 1024) + id;
		}

		public int invocations() {
			return this.invocations.get();
		}

		public int syncedInvocations() {
			return this.synced.get();
		}

	}

}
