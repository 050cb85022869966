package io.github.compressredis.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.compressredis.embedded.RedisSentinelProcess;
import io.github.compressredis.embedded.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application configured with nothing but Boot's {@code spring.data.redis.sentinel.*}
 * properties, against a real master, replica and three Sentinels: RedisTemplate and
 * {@code @Cacheable} values are stored compressed on the master, with Lettuce and with
 * Jedis, and stay readable across a failover.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class SentinelIntegrationTests {

	private static final String VALUE = TestPayloads.json(20 * 1024);

	private static final Duration WAIT = Duration.ofSeconds(30);

	private RedisSentinelProcess sentinel;

	@BeforeAll
	void startSentinel() {
		this.sentinel = RedisSentinelProcess.start();
	}

	@AfterAll
	void stopSentinel() {
		if (this.sentinel != null) {
			this.sentinel.close();
		}
	}

	@Order(1)
	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void templateAndCacheValuesAreStoredCompressedOnTheMaster(String client) {
		try (ConfigurableApplicationContext context = start(client)) {
			RedisServerProcess master = this.sentinel.master();
			String key = "sentinel:" + client + ":template";
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set(key, VALUE);
			assertCompressed(master, key);
			assertThat(template.opsForValue().get(key)).isEqualTo(VALUE);
			// the replica holds the same compressed bytes
			await().atMost(WAIT).untilAsserted(() -> assertCompressed(this.sentinel.replica(), key));

			ReportService reports = context.getBean(ReportService.class);
			String report = reports.report(client + "-1");
			assertThat(report).isEqualTo(VALUE);
			// with Lettuce, RedisCache writes asynchronously: the entry lands shortly
			// after the call
			await().atMost(WAIT).untilAsserted(() -> assertCompressed(master, "reports::" + client + "-1"));
			assertThat(reports.report(client + "-1")).isEqualTo(report);
			assertThat(reports.invocations()).isOne();
		}
	}

	@Test
	@Order(2)
	void valuesWrittenBeforeAFailoverStillReadAndNewWritesAreCompressed() {
		try (ConfigurableApplicationContext lettuce = start("lettuce");
				ConfigurableApplicationContext jedis = start("jedis")) {
			List<ConfigurableApplicationContext> contexts = List.of(lettuce, jedis);
			for (ConfigurableApplicationContext context : contexts) {
				String client = client(context);
				context.getBean(StringRedisTemplate.class).opsForValue().set("failover:" + client + ":before", VALUE);
				context.getBean(ReportService.class).report("failover-" + client);
				await().atMost(WAIT)
					.untilAsserted(() -> assertCompressed(this.sentinel.master(), "reports::failover-" + client));
			}

			RedisServerProcess oldMaster = this.sentinel.master();
			RedisServerProcess newMaster = this.sentinel.failover();
			assertThat(newMaster).isNotSameAs(oldMaster);

			for (ConfigurableApplicationContext context : contexts) {
				String client = client(context);
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				// the client finds the new master through the Sentinels
				await().atMost(WAIT)
					.ignoreExceptions()
					.until(() -> Integer.toString(newMaster.port())
						.equals(template.execute((RedisCallback<String>) (connection) -> Objects
							.requireNonNull(connection.serverCommands().info("server"))
							.getProperty("tcp_port"))));
				assertThat(template.opsForValue().get("failover:" + client + ":before")).isEqualTo(VALUE);
				ReportService reports = context.getBean(ReportService.class);
				assertThat(reports.report("failover-" + client)).isEqualTo(VALUE);
				assertThat(reports.invocations()).as("the cached report is read, not computed again").isOne();

				template.opsForValue().set("failover:" + client + ":after", VALUE);
				assertCompressed(newMaster, "failover:" + client + ":after");
				assertThat(template.opsForValue().get("failover:" + client + ":after")).isEqualTo(VALUE);
			}
		}
	}

	private ConfigurableApplicationContext start(String client) {
		return new SpringApplicationBuilder(SentinelApplication.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.client-type=" + client,
					"spring.data.redis.sentinel.master=" + this.sentinel.masterName(),
					"spring.data.redis.sentinel.nodes=" + String.join(",", this.sentinel.sentinelNodes()),
					"spring.cache.type=redis", "spring.cache.cache-names=reports", "spring.jmx.enabled=false",
					"spring.cloud.nacos.config.enabled=false", "spring.cloud.nacos.config.import-check.enabled=false")
			.run();
	}

	private static String client(ConfigurableApplicationContext context) {
		RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
		if (factory instanceof LettuceConnectionFactory) {
			return "lettuce";
		}
		assertThat(factory).isInstanceOf(JedisConnectionFactory.class);
		return "jedis";
	}

	private static void assertCompressed(RedisServerProcess node, String key) {
		Object stored = node.command("GET", key);
		assertThat(stored).as(key + " on " + node).isInstanceOf(byte[].class);
		byte[] bytes = (byte[]) stored;
		assertThat(TestPayloads.isFramed(bytes)).as(key + " carries the format's magic").isTrue();
		assertThat(bytes[2]).isEqualTo(TestPayloads.VERSION_1_ZSTD);
		assertThat(bytes.length).isLessThan(VALUE.length() / 4);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableCaching
	static class SentinelApplication {

		@Bean
		ReportService reportService() {
			return new ReportService();
		}

	}

	public static class ReportService {

		private final AtomicInteger invocations = new AtomicInteger();

		@Cacheable("reports")
		public String report(String id) {
			this.invocations.incrementAndGet();
			return VALUE;
		}

		public int invocations() {
			return this.invocations.get();
		}

	}

}
