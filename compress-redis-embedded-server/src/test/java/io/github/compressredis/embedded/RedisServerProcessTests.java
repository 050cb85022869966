package io.github.compressredis.embedded;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class RedisServerProcessTests {

	@Test
	void aStartedServerStoresRawBytesAndStops() {
		byte[] value = { 0, (byte) 0xFF, (byte) 0x80, '\r', '\n', 42 };
		RedisServerProcess server = RedisServerProcess.start();
		try (server; StatefulRedisConnection<byte[], byte[]> connection = server.connect()) {
			assertThat(server.host()).isEqualTo("127.0.0.1");
			assertThat(server.port()).isPositive();
			assertThat(server.isRunning()).isTrue();
			assertThat(connection.sync().set("raw".getBytes(StandardCharsets.UTF_8), value)).isEqualTo("OK");
			assertThat((byte[]) server.command("GET", "raw")).isEqualTo(value);
			// the output is drained by another thread, which may not have read the line
			// yet
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(server.recentOutput())
					.anyMatch((line) -> line.contains("Ready to accept connections")));
		}
		assertThat(server.isRunning()).isFalse();
		assertThat(server.directory()).doesNotExist();
		assertThatIllegalStateException().isThrownBy(() -> server.command("PING")).withMessageContaining("closed");
	}

	@Test
	void aKilledServerRestartsOnTheSamePortAndKeepsAnswering() {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			int port = server.port();
			assertThat(server.commandString("SET", "before", "kill")).isEqualTo("OK");
			server.kill();
			assertThat(server.isRunning()).isFalse();
			assertThatExceptionOfType(RedisException.class).isThrownBy(() -> server.command("PING"));
			assertThat(FreePorts.isFree(port)).as("the port stays reserved while the server is down").isFalse();
			server.restart();
			assertThat(server.port()).isEqualTo(port);
			assertThat(server.isRunning()).isTrue();
			assertThat(server.commandString("PING")).isEqualTo("PONG");
			assertThat(server.command("DBSIZE")).isEqualTo(0L);
			server.restart();
			try (StatefulRedisConnection<byte[], byte[]> connection = server.connect()) {
				assertThat(connection.sync().ping()).isEqualTo("PONG");
			}
		}
	}

	@Test
	void twoServersGetDifferentPorts() {
		try (RedisServerProcess first = RedisServerProcess.start();
				RedisServerProcess second = RedisServerProcess.start()) {
			assertThat(first.port()).isNotEqualTo(second.port());
			first.command("SET", "where", "first");
			assertThat(second.command("GET", "where")).isNull();
		}
	}

	@Test
	void aFixedPortIsHonouredAndATakenOneFailsWithTheServerOutput() {
		try (RedisServerProcess first = RedisServerProcess.start()) {
			assertThatIllegalStateException().isThrownBy(() -> RedisServerProcess.start(first.port()))
				.withMessageContaining("in use")
				.withMessageContaining(String.valueOf(first.port()));
			assertThat(first.isRunning()).isTrue();
		}
		assertThatIllegalArgumentException().isThrownBy(() -> RedisServerProcess.start(0))
			.withMessage("'port' must be positive but was 0");
	}

	@Test
	void extraConfigurationAndAWorkingDirectoryAreApplied(@TempDir Path dir) {
		Path work = dir.resolve("redis-work");
		try (RedisServerProcess server = RedisServerProcess.builder()
			.config("maxmemory", "64mb")
			.args("--maxmemory-policy", "allkeys-lru")
			.workingDirectory(work)
			.start()) {
			assertThat(server.command("CONFIG", "GET", "maxmemory")).asList()
				.satisfiesExactly((name) -> assertThat((byte[]) name).asString().isEqualTo("maxmemory"),
						(value) -> assertThat((byte[]) value).asString().isEqualTo("67108864"));
			assertThat(server.commandString("INFO", "persistence")).contains("aof_enabled:0");
			assertThat(server.command("CONFIG", "GET", "save")).asList()
				.element(1)
				.satisfies((value) -> assertThat((byte[]) value).isEmpty());
			assertThat(server.directory()).isEqualTo(work.toAbsolutePath());
		}
		assertThat(work).isDirectory();
	}

	@Test
	void aServerThatCannotStartFailsWithItsOutput() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisServerProcess.builder().config("no-such-directive", "1").start())
			.withMessageContaining("exited with code")
			.withMessageContaining("no-such-directive");
	}

	@Test
	void closeIsIdempotentAndAClosedServerCannotRestart() {
		RedisServerProcess server = RedisServerProcess.start();
		server.close();
		server.close();
		server.stop();
		assertThatIllegalStateException().isThrownBy(server::restart).withMessageContaining("closed");
		assertThat(FreePorts.isFree(server.port())).as("a closed server holds no port").isTrue();
	}

}
