package io.github.compressredis.autoconfigure.nacos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.alibaba.nacos.api.config.ConfigService;
import io.github.compressredis.autoconfigure.BootAutoConfigurations;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.autoconfigure.TestPayloads;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.embedded.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live switch from zstd to lz4 published to Nacos while four threads write through
 * Boot's StringRedisTemplate to a real redis-server: new writes switch within 2 s, each
 * thread's writes switch once and for good, no value read back is wrong, and every value
 * reads afterwards.
 */
class NacosLiveSwitchIntegrationTests {

	private static final String DATA_ID = "compress-redis.yaml";

	private static final String GROUP = "DEFAULT_GROUP";

	private static final int WRITERS = 4;

	/** Bounds each writer in count as well as in time. */
	private static final int MAX_WRITES = 6_000;

	private static final Duration RUN = Duration.ofSeconds(3);

	private static final Duration SWITCH_AFTER = Duration.ofMillis(1500);

	private static final String PAYLOAD = TestPayloads.json(2 * 1024);

	@Test
	void switchFromZstdToLz4UnderConcurrentWritesLosesNothing() throws Exception {
		try (RedisServerProcess redis = RedisServerProcess.start();
				InProcessConfigService nacos = new InProcessConfigService()) {
			nacos.publishConfig(DATA_ID, GROUP, "algorithm: zstd\n");
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataRedis(),
						CompressRedisAutoConfiguration.class, CompressRedisNacosAutoConfiguration.class))
				.withBean(ConfigService.class, () -> nacos)
				.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
						"compress.redis.algorithm=gzip")
				.run((context) -> {
					CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
					assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.ZSTD);
					StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
					// connections, JIT and the zstd native library warm up before the
					// measured run
					for (int i = 0; i < 200; i++) {
						template.opsForValue().set("warm-up", value("warm-up"));
					}
					long[][] writtenAt = new long[WRITERS][MAX_WRITES];
					ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
					CountDownLatch start = new CountDownLatch(1);
					List<Future<Integer>> counts = new ArrayList<>();
					long[] wrong = new long[WRITERS];
					for (int writer = 0; writer < WRITERS; writer++) {
						int id = writer;
						counts.add(writers.submit(() -> write(template, id, start, writtenAt[id], wrong)));
					}
					start.countDown();
					long started = System.nanoTime();
					// paces the load: the writers run under zstd for a while before the
					// switch (no condition is
					// awaited here; the assertions below hold whatever this sleep lasts)
					Thread.sleep(SWITCH_AFTER.toMillis());
					long published = System.nanoTime();
					nacos.publishConfig(DATA_ID, GROUP, "algorithm: lz4\n");
					Duration swap = PolicyWait.until("lz4 in force", published,
							() -> holder.policy().algorithm() == Algorithm.LZ4);
					writers.shutdown();
					assertThat(writers.awaitTermination(RUN.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
					long ranMillis = (System.nanoTime() - started) / 1_000_000;
					int total = 0;
					int zstd = 0;
					long firstLz4 = Long.MAX_VALUE;
					for (int writer = 0; writer < WRITERS; writer++) {
						int count = counts.get(writer).get();
						total += count;
						assertThat(count).as("writes of writer %d", writer).isPositive();
						boolean switched = false;
						for (int i = 0; i < count; i++) {
							String key = key(writer, i);
							byte[] stored = (byte[]) redis.command("GET", key);
							assertThat(TestPayloads.isFramed(stored)).as(key).isTrue();
							int codec = stored[2] & 0x0F;
							if (codec == Algorithm.LZ4.id()) {
								switched = true;
								firstLz4 = Math.min(firstLz4, writtenAt[writer][i]);
							}
							else {
								zstd++;
								assertThat(codec).as("codec of %s", key).isEqualTo(Algorithm.ZSTD.id());
								assertThat(switched).as("%s written with zstd after an lz4 write", key).isFalse();
								assertThat(writtenAt[writer][i] - published).as("%s written with zstd", key)
									.isLessThan(PolicyWait.LIMIT.toNanos());
							}
						}
						List<String> keys = new ArrayList<>(count);
						for (int i = 0; i < count; i++) {
							keys.add(key(writer, i));
						}
						List<String> values = template.opsForValue().multiGet(keys);
						for (int i = 0; i < count; i++) {
							assertThat(values.get(i)).as(keys.get(i)).isEqualTo(value(keys.get(i)));
						}
					}
					assertThat(wrong).as("wrong values read back during the run").containsOnly(0);
					assertThat(zstd).as("zstd writes").isPositive();
					assertThat(firstLz4).as("an lz4 write").isNotEqualTo(Long.MAX_VALUE);
					Duration latency = Duration.ofNanos(firstLz4 - published);
					System.out.printf(
							"Live switch: %d writes (%d zstd, %d lz4) by %d threads in %d ms; Nacos publish "
									+ "-> policy swapped: %.1f ms, -> first lz4 value in Redis: %.1f ms%n",
							total, zstd, total - zstd, WRITERS, ranMillis, swap.toNanos() / 1e6,
							latency.toNanos() / 1e6);
					assertThat(latency).isPositive().isLessThan(PolicyWait.LIMIT);
				});
		}
	}

	// writes, and reads back, until RUN has passed or MAX_WRITES are written; returns the
	// count
	private static int write(StringRedisTemplate template, int writer, CountDownLatch start, long[] writtenAt,
			long[] wrong) throws InterruptedException {
		start.await();
		long deadline = System.nanoTime() + RUN.toNanos();
		int i = 0;
		while (i < MAX_WRITES && System.nanoTime() - deadline < 0) {
			String key = key(writer, i);
			String value = value(key);
			template.opsForValue().set(key, value);
			writtenAt[i] = System.nanoTime();
			if (!value.equals(template.opsForValue().get(key))) {
				wrong[writer]++;
			}
			i++;
		}
		return i;
	}

	private static String key(int writer, int i) {
		return "live:" + writer + ":" + i;
	}

	private static String value(String key) {
		return "{\"key\":\"" + key + "\",\"orders\":" + PAYLOAD + "}";
	}

}
