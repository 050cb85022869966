package io.github.compressredis.autoconfigure.commands;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.github.compressredis.autoconfigure.TestPayloads;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.embedded.RedisClusterProcess;
import io.github.compressredis.embedded.RedisServerProcess;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.dao.DataAccessException;
import org.springframework.data.geo.Point;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisConnectionUtils;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members Redis compares by bytes are stored plain through Boot's wrapped
 * StringRedisTemplate, so membership, removal and duplicates do not change when the
 * policy does. Lettuce and Jedis against a standalone server, Lettuce against a cluster
 * once.
 */
class CanonicalMembersIntegrationTests {

	/** 411 bytes of JSON: compressed by the default policy (min-size 192 bytes). */
	private static final String MEMBER = TestPayloads.json(411);

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final ApplicationContextRunner contextRunner = RedisContexts.contextRunner();

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	@SuppressWarnings("unchecked")
	void setMembershipRemovalAndDuplicatesSurviveAPolicyChange(String client) {
		run(client, (context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String key = client + ":set";
			assertThat(template.opsForSet().add(key, MEMBER)).isEqualTo(1);
			assertThat(rawMembers("SMEMBERS", key)).containsExactly(MEMBER);
			RedisContexts.switchTo(context, Algorithm.LZ4);
			assertThat(template.opsForSet().isMember(key, MEMBER)).isTrue();
			assertThat(template.opsForSet().add(key, MEMBER)).isZero();
			assertThat(template.opsForSet().size(key)).isOne();
			assertThat(template.opsForSet().members(key)).containsExactly(MEMBER);
			assertThat(template.opsForSet().remove(key, MEMBER)).isOne();
			assertThat(template.opsForSet().size(key)).isZero();
			// Boot's RedisTemplate<Object, Object>: JDK-serialized members, same
			// guarantee
			RedisTemplate<Object, Object> objects = context.getBean("redisTemplate", RedisTemplate.class);
			String objectKey = client + ":object-set";
			assertThat(objects.opsForSet().add(objectKey, MEMBER)).isOne();
			byte[] stored = (byte[]) ((List<?>) redis.command("SMEMBERS",
					((RedisSerializer<Object>) objects.getKeySerializer()).serialize(objectKey)))
				.get(0);
			assertThat(TestPayloads.isFramed(stored)).isFalse();
			assertThat(stored).hasSizeGreaterThan(MEMBER.length());
			RedisContexts.switchTo(context, Algorithm.GZIP);
			assertThat(objects.opsForSet().isMember(objectKey, MEMBER)).isTrue();
			assertThat(objects.opsForSet().add(objectKey, MEMBER)).isZero();
			assertThat(objects.opsForSet().remove(objectKey, MEMBER)).isOne();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void sortedSetGeoAndHyperLogLogMembersSurviveAPolicyChange(String client) {
		run(client, (context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String zset = client + ":zset";
			String geo = client + ":geo";
			String hll = client + ":hll";
			template.opsForZSet().add(zset, MEMBER, 1.5);
			template.opsForGeo().add(geo, new Point(13.361389, 38.115556), MEMBER);
			template.opsForHyperLogLog().add(hll, MEMBER);
			assertThat(rawMembers("ZRANGE", zset, "0", "-1")).containsExactly(MEMBER);
			RedisContexts.switchTo(context, Algorithm.LZ4);
			assertThat(template.opsForZSet().score(zset, MEMBER)).isEqualTo(1.5);
			assertThat(template.opsForZSet().rank(zset, MEMBER)).isZero();
			assertThat(template.opsForZSet().add(zset, MEMBER, 2.5)).isFalse();
			assertThat(template.opsForZSet().incrementScore(zset, MEMBER, 1)).isEqualTo(3.5);
			assertThat(template.opsForZSet().size(zset)).isOne();
			assertThat(template.opsForGeo().position(geo, MEMBER)).singleElement().isNotNull();
			assertThat(template.opsForHyperLogLog().add(hll, MEMBER)).isZero();
			assertThat(template.opsForHyperLogLog().size(hll)).isOne();
			assertThat(template.opsForZSet().remove(zset, MEMBER)).isOne();
			assertThat(template.opsForGeo().remove(geo, MEMBER)).isOne();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void listValuesArePlainSoPositionInsertAndRemoveFindThem(String client) {
		run(client, (context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String key = client + ":list";
			template.opsForList().rightPushAll(key, "first", MEMBER);
			assertThat(rawMembers("LRANGE", key, "0", "-1")).containsExactly("first", MEMBER);
			RedisContexts.switchTo(context, Algorithm.LZ4);
			assertThat(template.opsForList().indexOf(key, MEMBER)).isOne();
			assertThat(template.opsForList().rightPush(key, MEMBER, "after")).isEqualTo(3);
			assertThat(template.opsForList().remove(key, 0, MEMBER)).isOne();
			assertThat(template.opsForList().range(key, 0, -1)).containsExactly("first", "after");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void scriptArgumentsStreamValuesAndMessagesArePlain(String client) {
		run(client, (context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String set = client + ":script-set";
			template.opsForSet().add(set, MEMBER);
			RedisContexts.switchTo(context, Algorithm.LZ4);
			RedisScript<Long> isMember = RedisScript.of("return redis.call('SISMEMBER', KEYS[1], ARGV[1])", Long.class);
			assertThat(template.execute(isMember, List.of(set), MEMBER)).isOne();
			String stream = client + ":stream";
			template.opsForStream().add(StreamRecords.newRecord().in(stream).ofMap(Map.of("body", MEMBER)));
			List<?> entries = (List<?>) redis.command("XRANGE", stream, "-", "+");
			List<?> fields = (List<?>) ((List<?>) entries.get(0)).get(1);
			assertThat(new String((byte[]) fields.get(1), StandardCharsets.UTF_8)).isEqualTo(MEMBER);
			List<MapRecord<String, Object, Object>> read = template.opsForStream()
				.range(stream, org.springframework.data.domain.Range.unbounded());
			assertThat(read).singleElement().extracting((record) -> record.getValue().get("body")).isEqualTo(MEMBER);
			// no subscriber: PUBLISH answers 0; a compressed message would have been sent
			// as it was
			assertThat(template.convertAndSend(client + ":channel", MEMBER)).isZero();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void pipelinesAndTransactionsWriteMembersPlain(String client) {
		run(client, (context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String key = client + ":tx-set";
			List<Object> pipelined = template.executePipelined(new SessionCallback<Object>() {

				@Override
				@SuppressWarnings("unchecked")
				public <K, V> Object execute(RedisOperations<K, V> operations) throws DataAccessException {
					operations.opsForSet().add((K) key, (V) MEMBER);
					operations.opsForSet().isMember((K) key, (V) MEMBER);
					return null;
				}

			});
			assertThat(pipelined).containsExactly(1L, true);
			RedisContexts.switchTo(context, Algorithm.LZ4);
			List<Object> exec = template.execute(new SessionCallback<List<Object>>() {

				@Override
				@SuppressWarnings("unchecked")
				public <K, V> List<Object> execute(RedisOperations<K, V> operations) throws DataAccessException {
					operations.multi();
					operations.opsForSet().add((K) key, (V) MEMBER);
					operations.opsForSet().isMember((K) key, (V) MEMBER);
					return operations.exec();
				}

			});
			assertThat(exec).containsExactly(0L, true);
			assertThat(rawMembers("SMEMBERS", key)).containsExactly(MEMBER);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void templatesSharingAClientFactoryShareItsBoundConnection() {
		// Jedis hands out a pooled connection per call: a nested call gets another one
		// unless bound
		run("jedis", (context) -> {
			StringRedisTemplate strings = context.getBean(StringRedisTemplate.class);
			RedisTemplate<Object, Object> objects = context.getBean("redisTemplate", RedisTemplate.class);
			RedisConnectionFactory factory = strings.getConnectionFactory();
			assertThat(factory).isInstanceOf(CompressionCommandsConnectionFactory.class)
				.isSameAs(objects.getConnectionFactory());
			RedisCallback<Object> clientId = (connection) -> connection.execute("CLIENT", TestPayloads.utf8("ID"));
			RedisConnectionUtils.bindConnection(factory);
			try {
				List<Object> ids = strings.execute((RedisCallback<List<Object>>) (connection) -> List
					.of(connection.execute("CLIENT", TestPayloads.utf8("ID")), objects.execute(clientId)));
				assertThat(ids.get(0)).isEqualTo(ids.get(1));
			}
			finally {
				RedisConnectionUtils.unbindConnection(factory);
			}
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void membersCompressedByEarlierVersionsStillRead(String client) {
		run(client, (context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String key = client + ":legacy-set";
			byte[] compressed = context.getBean(ValueCompressor.class).compress(TestPayloads.utf8(MEMBER));
			assertThat(TestPayloads.isFramed(compressed)).isTrue();
			redis.command("SADD", key, compressed);
			assertThat(template.opsForSet().members(key)).containsExactly(MEMBER);
			assertThat(template.opsForSet().pop(key)).isEqualTo(MEMBER);
		});
	}

	@Test
	void excludedTemplatesAreLeftAsTheyAre() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.port=" + redis.port(), "spring.data.redis.host=127.0.0.1",
					"compress.redis.template.exclude=stringRedisTemplate")
			.run((context) -> {
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				assertThat(template.getConnectionFactory()).isNotInstanceOf(CompressionCommandsConnectionFactory.class);
				template.opsForValue().set("excluded:value", MEMBER);
				template.opsForValue().append("excluded:value", "!");
				assertThat(template.opsForValue().get("excluded:value")).isEqualTo(MEMBER + "!");
			});
	}

	@Test
	void clusterMembersSurviveAPolicyChange() {
		try (RedisClusterProcess cluster = RedisClusterProcess.start(3)) {
			RedisContexts.cluster(this.contextRunner, cluster).run((context) -> {
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				for (String key : new String[] { "{a}members", "{b}members", "{c}members" }) {
					template.opsForSet().add(key, MEMBER);
					RedisServerProcess node = cluster.serverForSlot(SlotHash.getSlot(key));
					List<?> members = (List<?>) node.command("SMEMBERS", key);
					assertThat(members).singleElement()
						.extracting((member) -> new String((byte[]) member, StandardCharsets.UTF_8))
						.isEqualTo(MEMBER);
				}
				RedisContexts.switchTo(context, Algorithm.LZ4);
				for (String key : new String[] { "{a}members", "{b}members", "{c}members" }) {
					assertThat(template.opsForSet().isMember(key, MEMBER)).as(key).isTrue();
					assertThat(template.opsForSet().add(key, MEMBER)).as(key).isZero();
					assertThat(template.opsForSet().remove(key, MEMBER)).as(key).isOne();
				}
			});
		}
	}

	private void run(String client, ContextConsumer<AssertableApplicationContext> test) {
		RedisContexts.standalone(this.contextRunner, redis, client).run(test);
	}

	private static List<String> rawMembers(Object... command) {
		List<?> reply = (List<?>) redis.command(command);
		return reply.stream().map((member) -> new String((byte[]) member, StandardCharsets.UTF_8)).toList();
	}

}
