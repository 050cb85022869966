package io.github.compressredis.embedded;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@Timeout(30)
class RawCommandsTests {

	private static RedisServerProcess server;

	@BeforeAll
	static void startServer() {
		server = RedisServerProcess.start();
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@BeforeEach
	void flush() {
		assertThat(server.commandString("FLUSHALL")).isEqualTo("OK");
	}

	@Test
	void aMissingKeyReadsAsNil() {
		assertThat(server.command("GET", "missing")).isNull();
		assertThat(server.commandString("GET", "missing")).isNull();
	}

	@Test
	void integerRepliesAreLongs() {
		assertThat(server.command("INCRBY", "counter", "41")).isEqualTo(41L);
		assertThat(server.command("INCR", "counter")).isEqualTo(42L);
		assertThat(server.command("DECRBY", "counter", "100")).isEqualTo(-58L);
		assertThat(server.commandString("EXISTS", "counter")).isEqualTo("1");
	}

	@Test
	void arrayRepliesAreListsWithNilElements() {
		server.command("SET", "a", "1");
		server.command("SET", "c".getBytes(StandardCharsets.UTF_8), new byte[] { 3 });
		Object reply = server.command("MGET", "a", "b", "c");
		assertThat(reply).isInstanceOf(List.class);
		List<?> values = (List<?>) reply;
		assertThat(values).hasSize(3);
		assertThat((byte[]) values.get(0)).containsExactly('1');
		assertThat(values.get(1)).isNull();
		assertThat((byte[]) values.get(2)).containsExactly(3);
		assertThat(server.command("LRANGE", "nothing", "0", "-1")).isEqualTo(List.of());
	}

	@Test
	void errorRepliesThrowWithTheServerMessageAndTheConnectionStaysUsable() {
		server.command("SET", "text", "abc");
		assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> server.command("INCR", "text"))
			.withMessage("ERR value is not an integer or out of range");
		assertThatExceptionOfType(RedisCommandExecutionException.class)
			.isThrownBy(() -> server.command("LPUSH", "text", "x"))
			.withMessageStartingWith("WRONGTYPE");
		assertThat(server.commandString("PING")).isEqualTo("PONG");
	}

	@Test
	void largeBinaryValuesRoundTripExactly() {
		byte[] value = new byte[3 * 1024 * 1024 + 7];
		for (int i = 0; i < value.length; i++) {
			value[i] = (byte) (i * 31 + (i >>> 8));
		}
		server.command("SET", "big", value);
		assertThat((byte[]) server.command("GET", "big")).isEqualTo(value);
		assertThat((Long) server.command("MEMORY", "USAGE", "big")).isGreaterThan(value.length);
		assertThat(server.commandString("INFO", "memory")).contains("used_memory:");
	}

	@Test
	void commandsLettuceHasNoTypeForAreSentAsWrittenInAnyCase() {
		assertThatIllegalStateException().isThrownBy(() -> server.commandString("latency", "latest"))
			.withMessageContaining("is an array");
		assertThat(server.command("LATENCY", "LATEST")).isEqualTo(List.of());
		assertThat(server.commandString("lolwut", "version", "5")).contains("Redis ver.");
	}

	@Test
	void unsupportedArgumentTypesAreRejectedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> server.command("SET", "k", new Object()))
			.withMessageContaining("'args'");
		assertThat(server.commandString("SET", "k", 12)).isEqualTo("OK");
		assertThat(server.commandString("GET", "k")).isEqualTo("12");
	}

}
