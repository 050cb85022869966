package io.github.compressredis.autoconfigure.commands;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.compressredis.autoconfigure.TestPayloads;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.embedded.RedisServerProcess;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.BitFieldSubCommands;
import org.springframework.data.redis.connection.BitFieldSubCommands.BitFieldType;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.util.ByteUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Boot's ReactiveStringRedisTemplate, as compress-redis rebuilds it: members written
 * plain so they survive a policy change, lengths and ranges answered for the original
 * value, and the commands that would change or misread a compressed value refused without
 * changing it.
 */
class ReactiveCommandGuardsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String MEMBER = TestPayloads.json(411);

	private static final String VALUE = TestPayloads.json(20 * 1024);

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final ApplicationContextRunner contextRunner = RedisContexts.contextRunner();

	@Test
	@SuppressWarnings("unchecked")
	void membersSurviveAPolicyChange() {
		RedisContexts.standalone(this.contextRunner, redis, "lettuce").run((context) -> {
			ReactiveStringRedisTemplate template = context.getBean(ReactiveStringRedisTemplate.class);
			assertThat(template.opsForSet().add("reactive:set", MEMBER).block(TIMEOUT)).isOne();
			assertThat(template.opsForZSet().add("reactive:zset", MEMBER, 1).block(TIMEOUT)).isTrue();
			assertThat(template.opsForList().rightPush("reactive:list", MEMBER).block(TIMEOUT)).isOne();
			List<?> members = (List<?>) redis.command("SMEMBERS", "reactive:set");
			assertThat(new String((byte[]) members.get(0), StandardCharsets.UTF_8)).isEqualTo(MEMBER);
			RedisContexts.switchTo(context, Algorithm.LZ4);
			assertThat(template.opsForSet().isMember("reactive:set", MEMBER).block(TIMEOUT)).isTrue();
			assertThat(template.opsForSet().add("reactive:set", MEMBER).block(TIMEOUT)).isZero();
			assertThat(template.opsForSet().remove("reactive:set", MEMBER).block(TIMEOUT)).isOne();
			assertThat(template.opsForZSet().score("reactive:zset", MEMBER).block(TIMEOUT)).isEqualTo(1);
			assertThat(template.opsForList().remove("reactive:list", 0, MEMBER).block(TIMEOUT)).isOne();
			template.opsForSet().add("reactive:set", MEMBER).block(TIMEOUT);
			RedisScript<Long> isMember = RedisScript.of("return redis.call('SISMEMBER', KEYS[1], ARGV[1])", Long.class);
			assertThat(template.execute(isMember, List.of("reactive:set"), List.of(MEMBER)).blockFirst(TIMEOUT))
				.isOne();
			assertThat(template.opsForSet().members("reactive:set").collectList().block(TIMEOUT))
				.containsExactly(MEMBER);
			// values stay compressed
			template.opsForValue().set("reactive:value", VALUE).block(TIMEOUT);
			assertThat(TestPayloads.isFramed((byte[]) redis.command("GET", "reactive:value"))).isTrue();
			// stream values and Boot's ReactiveRedisTemplate<Object, Object>
			// (JDK-serialized members)
			template.opsForStream()
				.add(StreamRecords.newRecord().in("reactive:stream").ofMap(Map.of("body", MEMBER)))
				.block(TIMEOUT);
			ReactiveRedisTemplate<Object, Object> objects = context.getBean("reactiveRedisTemplate",
					ReactiveRedisTemplate.class);
			assertThat(objects.opsForSet().add("reactive:objects", MEMBER).block(TIMEOUT)).isOne();
			List<?> entries = (List<?>) redis.command("XRANGE", "reactive:stream", "-", "+");
			List<?> fields = (List<?>) ((List<?>) entries.get(0)).get(1);
			assertThat(new String((byte[]) fields.get(1), StandardCharsets.UTF_8)).isEqualTo(MEMBER);
			byte[] rawKey = ByteUtils
				.getBytes(objects.getSerializationContext().getKeySerializationPair().write("reactive:objects"));
			byte[] stored = (byte[]) ((List<?>) redis.command("SMEMBERS", rawKey)).get(0);
			assertThat(TestPayloads.isFramed(stored)).isFalse();
			assertThat(stored).hasSizeGreaterThan(MEMBER.length());
		});
	}

	@Test
	void lengthsAndRangesAnswerForTheOriginalValueAndChangesAreRefused() {
		RedisContexts.standalone(this.contextRunner, redis, "lettuce").run((context) -> {
			ReactiveStringRedisTemplate template = context.getBean(ReactiveStringRedisTemplate.class);
			String key = "reactive:json";
			template.opsForValue().set(key, VALUE).block(TIMEOUT);
			byte[] stored;
			stored = (byte[]) redis.command("GET", key);
			assertThat(template.opsForValue().size(key).block(TIMEOUT)).isEqualTo(VALUE.length());
			assertThat(template.opsForValue().get(key, 3, 30).block(TIMEOUT)).isEqualTo(VALUE.substring(3, 31));
			assertRefused("APPEND", key, template.opsForValue().append(key, "tail"));
			assertRefused("SETRANGE", key, template.opsForValue().set(key, "xyz", 3));
			assertRefused("SETBIT", key, template.opsForValue().setBit(key, 3, true));
			assertRefused("GETBIT", key, template.opsForValue().getBit(key, 3));
			assertRefused("BITFIELD", key, template.opsForValue()
				.bitField(key, BitFieldSubCommands.create().get(BitFieldType.unsigned(8)).valueAt(0)));
			assertRefused("INCR", key, template.opsForValue().increment(key));
			assertRefused("INCRBYFLOAT", key, template.opsForValue().increment(key, 0.5));
			assertRefused("DECRBY", key, template.opsForValue().decrement(key, 2));
			template.opsForHash().put("reactive:hash", "json", VALUE).block(TIMEOUT);
			assertRefused("HINCRBY", "reactive:hash", template.opsForHash().increment("reactive:hash", "json", 1));
			assertThat((byte[]) redis.command("GET", key)).isEqualTo(stored);
			assertThat(template.opsForValue().get(key).block(TIMEOUT)).isEqualTo(VALUE);
			// plain values: the commands run as usual
			template.opsForValue().set("reactive:text", "hello").block(TIMEOUT);
			assertThat(template.opsForValue().append("reactive:text", " world").block(TIMEOUT)).isEqualTo(11);
			assertThat(template.opsForValue().set("reactive:text", "W", 6).block(TIMEOUT)).isEqualTo(11);
			assertThat(template.opsForValue().get("reactive:text").block(TIMEOUT)).isEqualTo("hello World");
			assertThat(template.opsForValue().size("reactive:text").block(TIMEOUT)).isEqualTo(11);
			assertThat(template.opsForValue().get("reactive:text", -5, -1).block(TIMEOUT)).isEqualTo("World");
			assertThat(template.opsForValue().setBit("reactive:bits", 1, true).block(TIMEOUT)).isFalse();
			assertThat(template.opsForValue().getBit("reactive:bits", 1).block(TIMEOUT)).isTrue();
			assertThat(template.opsForValue()
				.bitField("reactive:bits", BitFieldSubCommands.create().get(BitFieldType.unsigned(8)).valueAt(0))
				.block(TIMEOUT)).containsExactly(64L);
			assertThat(template.opsForValue().increment("reactive:counter", 3).block(TIMEOUT)).isEqualTo(3);
			assertThat(template.opsForHash().increment("reactive:hash", "n", 2).block(TIMEOUT)).isEqualTo(2);
		});
	}

	private static void assertRefused(String command, String key, Mono<?> call) {
		assertThatExceptionOfType(CompressedValueCommandException.class).as(command)
			.isThrownBy(() -> call.block(TIMEOUT))
			.withMessageStartingWith(command + " refused on key '" + key + "'")
			.withMessageContaining("compress.redis.template.exclude");
	}

}
