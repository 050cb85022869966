package io.github.compressredis.autoconfigure;

import io.github.compressredis.embedded.RedisClusterProcess;
import io.github.compressredis.embedded.RedisServerProcess;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot's StringRedisTemplate stores compressed values through the other client setups:
 * Lettuce against a 3-master Redis Cluster, and Jedis against a standalone server. Each
 * context holds only Redis and compress-redis.
 */
class CompressRedisClientIntegrationTests {

	private static final String VALUE = TestPayloads.json(20 * 1024);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(BootAutoConfigurations.dataRedis(), CompressRedisAutoConfiguration.class));

	@Test
	void lettuceClusterTemplateStoresCompressedValues() {
		try (RedisClusterProcess cluster = RedisClusterProcess.start(3)) {
			this.contextRunner
				.withPropertyValues("spring.data.redis.cluster.nodes=" + String.join(",", cluster.nodes()))
				.run((context) -> {
					assertThat(context.getBean(RedisConnectionFactory.class))
						.isInstanceOf(LettuceConnectionFactory.class);
					StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
					// keys on different nodes: {a} and {b} hash to slots owned by
					// different masters
					for (String key : new String[] { "{a}cluster", "{b}cluster", "{c}cluster" }) {
						template.opsForValue().set(key, VALUE);
						byte[] stored = rawGet(cluster.serverForSlot(SlotHash.getSlot(key)), key);
						assertThat(TestPayloads.isFramed(stored)).as(key).isTrue();
						assertThat(stored[2]).isEqualTo(TestPayloads.VERSION_1_ZSTD);
						assertThat(template.opsForValue().get(key)).isEqualTo(VALUE);
					}
				});
		}
	}

	@Test
	void jedisTemplateStoresCompressedValues() {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			this.contextRunner
				.withPropertyValues("spring.data.redis.client-type=jedis", "spring.data.redis.host=127.0.0.1",
						"spring.data.redis.port=" + redis.port())
				.run((context) -> {
					assertThat(context.getBean(RedisConnectionFactory.class))
						.isInstanceOf(JedisConnectionFactory.class);
					StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
					template.opsForValue().set("jedis:value", VALUE);
					template.opsForHash().put("jedis:hash", "field", VALUE);
					byte[] stored = rawGet(redis, "jedis:value");
					assertThat(TestPayloads.isFramed(stored)).isTrue();
					assertThat(stored.length).isLessThan(VALUE.length() / 4);
					assertThat(TestPayloads.isFramed((byte[]) redis.command("HGET", "jedis:hash", "field"))).isTrue();
					assertThat(template.opsForValue().get("jedis:value")).isEqualTo(VALUE);
					assertThat(template.opsForHash().get("jedis:hash", "field")).isEqualTo(VALUE);
				});
		}
	}

	private static byte[] rawGet(RedisServerProcess server, String key) {
		Object reply = server.command("GET", key);
		assertThat(reply).as(key).isInstanceOf(byte[].class);
		return (byte[]) reply;
	}

}
