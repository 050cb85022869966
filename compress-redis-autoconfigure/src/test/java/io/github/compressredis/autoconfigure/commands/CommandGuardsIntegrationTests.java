package io.github.compressredis.autoconfigure.commands;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.compressredis.autoconfigure.TestPayloads;
import io.github.compressredis.embedded.RedisClusterProcess;
import io.github.compressredis.embedded.RedisServerProcess;
import io.lettuce.core.cluster.SlotHash;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.BitFieldSubCommands;
import org.springframework.data.redis.connection.BitFieldSubCommands.BitFieldType;
import org.springframework.data.redis.connection.RedisStringCommands.BitOperation;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Commands that work on a value's bytes inside Redis, through Boot's wrapped
 * StringRedisTemplate: answered for the original value (STRLEN, HSTRLEN, GETRANGE) or
 * refused without changing anything (APPEND, SETRANGE, the bit commands, the INCR family)
 * when the value is compressed, and run as usual when it is plain. Lettuce and Jedis
 * against a standalone server, Lettuce against a cluster.
 */
class CommandGuardsIntegrationTests {

	private static final String VALUE = TestPayloads.json(20 * 1024);

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final ApplicationContextRunner contextRunner = RedisContexts.contextRunner();

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void lengthsAndRangesAnswerForTheOriginalValue(String client) {
		run(client, (context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String key = client + ":json";
			template.opsForValue().set(key, VALUE);
			assertThat(TestPayloads.isFramed(raw("GET", key))).isTrue();
			assertThat(template.opsForValue().size(key)).isEqualTo(VALUE.length());
			assertThat(template.opsForValue().get(key, 2, 40)).isEqualTo(VALUE.substring(2, 41));
			assertThat(template.opsForValue().get(key, -12, -1)).isEqualTo(VALUE.substring(VALUE.length() - 12));
			assertThat(template.opsForValue().get(key, 10, 5)).isEmpty();
			template.opsForHash().put(client + ":hash", "json", VALUE);
			template.opsForHash().put(client + ":hash", "small", "12345");
			assertThat(template.opsForHash().lengthOfValue(client + ":hash", "json")).isEqualTo(VALUE.length());
			assertThat(template.opsForHash().lengthOfValue(client + ":hash", "small")).isEqualTo(5);
			assertThat(template.opsForHash().lengthOfValue(client + ":hash", "missing")).isZero();
			template.opsForValue().set(client + ":small", "hello world");
			assertThat(template.opsForValue().size(client + ":small")).isEqualTo(11);
			assertThat(template.opsForValue().get(client + ":small", 6, -1)).isEqualTo("world");
			assertThat(template.opsForValue().size(client + ":missing")).isZero();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void commandsThatWouldChangeOrMisreadACompressedValueAreRefused(String client) {
		run(client, (context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String key = client + ":refused";
			template.opsForValue().set(key, VALUE);
			byte[] stored = raw("GET", key);
			assertRefused("APPEND", key, () -> template.opsForValue().append(key, "tail"));
			assertRefused("SETRANGE", key, () -> template.opsForValue().set(key, "xyz", 3));
			assertRefused("SETBIT", key, () -> template.opsForValue().setBit(key, 7, true));
			assertRefused("GETBIT", key, () -> template.opsForValue().getBit(key, 7));
			assertRefused("BITFIELD", key, () -> template.opsForValue()
				.bitField(key, BitFieldSubCommands.create().get(BitFieldType.unsigned(8)).valueAt(0)));
			assertRefused("BITCOUNT", key,
					() -> template.execute((RedisCallback<Long>) (connection) -> connection.stringCommands()
						.bitCount(TestPayloads.utf8(key))));
			assertRefused("BITPOS", key,
					() -> template.execute((RedisCallback<Long>) (connection) -> connection.stringCommands()
						.bitPos(TestPayloads.utf8(key), true, Range.closed(0L, 10L))));
			assertRefused("BITOP", key,
					() -> template.execute((RedisCallback<Long>) (connection) -> connection.stringCommands()
						.bitOp(BitOperation.NOT, TestPayloads.utf8(client + ":dest"), TestPayloads.utf8(key))));
			assertRefused("INCR", key, () -> template.opsForValue().increment(key));
			assertRefused("INCRBY", key, () -> template.opsForValue().increment(key, 5));
			assertRefused("INCRBYFLOAT", key, () -> template.opsForValue().increment(key, 1.5));
			assertRefused("DECR", key, () -> template.opsForValue().decrement(key));
			assertRefused("DECRBY", key, () -> template.opsForValue().decrement(key, 5));
			assertThat(raw("GET", key)).isEqualTo(stored);
			assertThat(template.opsForValue().get(key)).isEqualTo(VALUE);
			assertThat(raw("EXISTS", client + ":dest")).isNull();
			template.opsForHash().put(client + ":counters", "json", VALUE);
			assertRefused("HINCRBY", client + ":counters",
					() -> template.opsForHash().increment(client + ":counters", "json", 1));
			assertRefused("HINCRBYFLOAT", client + ":counters",
					() -> template.opsForHash().increment(client + ":counters", "json", 1.5));
			assertThat(template.opsForHash().get(client + ":counters", "json")).isEqualTo(VALUE);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void theSameCommandsRunAsUsualOnPlainValues(String client) {
		run(client, (context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String text = client + ":text";
			template.opsForValue().set(text, "hello");
			assertThat(template.opsForValue().append(text, " world")).isEqualTo(11);
			template.opsForValue().set(text, "W", 6);
			assertThat(template.opsForValue().get(text)).isEqualTo("hello World");
			String bits = client + ":bits";
			assertThat(template.opsForValue().setBit(bits, 1, true)).isFalse();
			assertThat(template.opsForValue().setBit(bits, 1, true)).isTrue();
			assertThat(template.opsForValue().getBit(bits, 1)).isTrue();
			assertThat(template.opsForValue()
				.bitField(bits,
						BitFieldSubCommands.create()
							.get(BitFieldType.unsigned(8))
							.valueAt(0)
							.incr(BitFieldType.unsigned(8))
							.valueAt(8)
							.by(3)))
				.containsExactly(64L, 3L);
			assertThat(template.execute((RedisCallback<Long>) (connection) -> connection.stringCommands()
				.bitCount(TestPayloads.utf8(bits)))).isEqualTo(3);
			assertThat(template.execute((RedisCallback<Long>) (connection) -> connection.stringCommands()
				.bitPos(TestPayloads.utf8(bits), true))).isOne();
			assertThat(template.execute((RedisCallback<Long>) (connection) -> connection.stringCommands()
				.bitOp(BitOperation.OR, TestPayloads.utf8(client + ":or"), TestPayloads.utf8(bits)))).isEqualTo(2);
			String counter = client + ":counter";
			assertThat(template.opsForValue().increment(counter)).isOne();
			assertThat(template.opsForValue().increment(counter, 4)).isEqualTo(5);
			assertThat(template.opsForValue().decrement(counter)).isEqualTo(4);
			assertThat(template.opsForValue().increment(counter, 0.5)).isEqualTo(4.5);
			assertThat(template.opsForHash().increment(client + ":hcounter", "n", 2)).isEqualTo(2);
			assertThat(template.opsForHash().increment(client + ":hcounter", "n", 0.5)).isEqualTo(2.5);
			template.opsForValue().set(client + ":word", "word");
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> template.opsForValue().increment(client + ":word"))
				.isNotInstanceOf(CompressedValueCommandException.class);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void pipelinesAndTransactionsRefuseWithoutChangingTheValue(String client) {
		run(client, (context) -> {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String key = client + ":pipelined";
			String text = client + ":pipelined-text";
			template.opsForValue().set(key, VALUE);
			template.opsForValue().set(text, "abc");
			byte[] stored = raw("GET", key);
			List<Object> plain = template.executePipelined(new SessionCallback<Object>() {

				@Override
				@SuppressWarnings("unchecked")
				public <K, V> Object execute(RedisOperations<K, V> operations) throws DataAccessException {
					operations.opsForValue().append((K) text, "def");
					operations.opsForValue().size((K) text);
					operations.opsForValue().getBit((K) text, 1);
					operations.opsForValue().set((K) text, (V) "Z", 0);
					return null;
				}

			});
			// SETRANGE runs as a script here, so its reply (the length) is among the
			// results
			assertThat(plain).containsExactly(6L, 6L, true, 6L);
			assertThat(template.opsForValue().get(text)).isEqualTo("Zbcdef");
			assertRefused("APPEND", key, () -> template.executePipelined(new SessionCallback<Object>() {

				@Override
				@SuppressWarnings("unchecked")
				public <K, V> Object execute(RedisOperations<K, V> operations) throws DataAccessException {
					operations.opsForValue().append((K) key, "tail");
					return null;
				}

			}));
			assertRefused("SETRANGE", key, () -> template.execute(new SessionCallback<List<Object>>() {

				@Override
				@SuppressWarnings("unchecked")
				public <K, V> List<Object> execute(RedisOperations<K, V> operations) throws DataAccessException {
					operations.multi();
					operations.opsForValue().set((K) key, (V) "xyz", 3);
					return operations.exec();
				}

			}));
			assertThat(raw("GET", key)).isEqualTo(stored);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void clusterGuardsRouteToTheKeysNode(String client) {
		try (RedisClusterProcess cluster = RedisClusterProcess.start(3)) {
			RedisContexts.cluster(this.contextRunner, cluster)
				.withPropertyValues("spring.data.redis.client-type=" + client)
				.run((context) -> {
					StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
					for (String key : new String[] { "{a}guard", "{b}guard", "{c}guard" }) {
						template.opsForValue().set(key, VALUE);
						assertThat(template.opsForValue().size(key)).as(key).isEqualTo(VALUE.length());
						assertThat(template.opsForValue().get(key, 0, 9)).as(key).isEqualTo(VALUE.substring(0, 10));
						assertRefused("APPEND", key, () -> template.opsForValue().append(key, "tail"));
						assertThat(template.opsForValue().append(key + ":text", "abc")).isEqualTo(3);
						RedisServerProcess node = cluster.serverForSlot(SlotHash.getSlot(key));
						assertThat(TestPayloads.isFramed((byte[]) node.command("GET", key))).isTrue();
						assertThat(template.opsForValue().get(key)).isEqualTo(VALUE);
					}
				});
		}
	}

	private static void assertRefused(String command, String key, ThrowingCallable call) {
		assertThatExceptionOfType(CompressedValueCommandException.class).as(command)
			.isThrownBy(call)
			.withMessageStartingWith(command + " refused on key '" + key + "'")
			.withMessageContaining("compress.redis.template.exclude")
			.withMessageContaining("compress.redis.min-size")
			.satisfies((ex) -> assertThat(ex.getCommand()).isEqualTo(command))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo(key));
	}

	private void run(String client, ContextConsumer<AssertableApplicationContext> test) {
		RedisContexts.standalone(this.contextRunner, redis, client).run(test);
	}

	private static byte[] raw(Object... command) {
		Object reply = redis.command(command);
		return (reply instanceof Long number && number == 0) ? null
				: (reply instanceof byte[] bytes) ? bytes : String.valueOf(reply).getBytes(StandardCharsets.UTF_8);
	}

}
