package io.github.compressredis.embedded;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(30)
class RespConnectionTest {

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
		try (RespConnection connection = server.connect()) {
			assertThat(connection.command("FLUSHALL")).isEqualTo("OK");
		}
	}

	@Test
	void aMissingKeyReadsAsNil() {
		try (RespConnection connection = server.connect()) {
			assertThat(connection.command("GET", "missing")).isNull();
			assertThat(connection.commandString("GET", "missing")).isNull();
		}
	}

	@Test
	void integerRepliesAreLongs() {
		try (RespConnection connection = server.connect()) {
			assertThat(connection.command("INCRBY", "counter", "41")).isEqualTo(41L);
			assertThat(connection.command("INCR", "counter")).isEqualTo(42L);
			assertThat(connection.command("DECRBY", "counter", "100")).isEqualTo(-58L);
			assertThat(connection.commandString("EXISTS", "counter")).isEqualTo("1");
		}
	}

	@Test
	void arrayRepliesAreListsWithNilElements() {
		try (RespConnection connection = server.connect()) {
			connection.command("SET", "a", "1");
			connection.command("SET", "c".getBytes(StandardCharsets.UTF_8), new byte[] { 3 });
			Object reply = connection.command("MGET", "a", "b", "c");
			assertThat(reply).isInstanceOf(List.class);
			List<?> values = (List<?>) reply;
			assertThat(values).hasSize(3);
			assertThat((byte[]) values.get(0)).containsExactly('1');
			assertThat(values.get(1)).isNull();
			assertThat((byte[]) values.get(2)).containsExactly(3);
			assertThat(connection.command("LRANGE", "nothing", "0", "-1")).isEqualTo(List.of());
		}
	}

	@Test
	void errorRepliesThrowWithTheServerMessageAndTheConnectionStaysUsable() {
		try (RespConnection connection = server.connect()) {
			connection.command("SET", "text", "abc");
			assertThatExceptionOfType(RespException.class).isThrownBy(() -> connection.command("INCR", "text"))
				.withMessage("ERR value is not an integer or out of range")
				.satisfies((ex) -> assertThat(ex.prefix()).isEqualTo("ERR"));
			assertThatExceptionOfType(RespException.class).isThrownBy(() -> connection.command("LPUSH", "text", "x"))
				.satisfies((ex) -> assertThat(ex.prefix()).isEqualTo("WRONGTYPE"));
			assertThat(connection.command("PING")).isEqualTo("PONG");
		}
	}

	@Test
	void anErrorInsideAnArrayIsAnElementNotAThrow() {
		try (RespConnection connection = server.connect()) {
			connection.command("SET", "text", "abc");
			assertThat(connection.command("MULTI")).isEqualTo("OK");
			assertThat(connection.command("SET", "n", "1")).isEqualTo("QUEUED");
			assertThat(connection.command("INCR", "text")).isEqualTo("QUEUED");
			List<?> results = (List<?>) connection.command("EXEC");
			assertThat(results.get(0)).isEqualTo("OK");
			assertThat(results.get(1)).isInstanceOf(RespException.class);
		}
	}

	@Test
	void largeBinaryValuesRoundTripExactly() {
		byte[] value = new byte[3 * 1024 * 1024 + 7];
		for (int i = 0; i < value.length; i++) {
			value[i] = (byte) (i * 31 + (i >>> 8));
		}
		try (RespConnection connection = server.connect()) {
			connection.command("SET", "big", value);
			assertThat((byte[]) connection.command("GET", "big")).isEqualTo(value);
			assertThat((Long) connection.command("MEMORY", "USAGE", "big")).isGreaterThan(value.length);
			assertThat(connection.commandString("INFO", "memory")).contains("used_memory:");
		}
	}

	@Test
	void unsupportedArgumentTypesAreRejectedByName() {
		try (RespConnection connection = server.connect()) {
			assertThatIllegalArgumentException().isThrownBy(() -> connection.command("SET", "k", new Object()))
				.withMessageContaining("'args'");
			assertThat(connection.command("SET", "k", 12)).isEqualTo("OK");
			assertThat(connection.commandString("GET", "k")).isEqualTo("12");
		}
	}
}
