package io.github.compressredis.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

import io.github.compressredis.embedded.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link EmbeddedRedisStarter} starts a redis-server and when it leaves Redis alone.
 * Every port is a free loopback port, so a Redis already running on 6379 does not matter.
 */
class EmbeddedRedisStarterTests {

	private EmbeddedRedisStarter starter = new EmbeddedRedisStarter(freePort());

	@AfterEach
	void stopStartedServer() {
		RedisServerProcess server = this.starter.server();
		if (server != null) {
			server.close();
		}
	}

	@Test
	void startsRedisOnTheConfiguredPortWhenNoneIsConfiguredOrReachable() {
		int port = freePort();
		StandardEnvironment environment = environment(Map.of("sample.embedded-redis-port", port));

		this.starter.onApplicationEvent(event(environment));

		assertThat(this.starter.server()).isNotNull();
		assertThat(environment.getProperty("spring.data.redis.port", Integer.class)).isEqualTo(port);
		assertThat(environment.getProperty("spring.data.redis.host")).isEqualTo("127.0.0.1");
		RedisServerProcess server = this.starter.server();
		assertThat(server.port()).isEqualTo(port);
		assertThat(server.commandString("PING")).isEqualTo("PONG");
	}

	@Test
	void leavesRedisAloneWhenSpringDataRedisHostIsSet() {
		int port = freePort();
		StandardEnvironment environment = environment(
				Map.of("spring.data.redis.host", "127.0.0.1", "sample.embedded-redis-port", port));

		this.starter.onApplicationEvent(event(environment));

		assertThat(this.starter.server()).isNull();
		assertThat(environment.getPropertySources().contains("embeddedRedis")).isFalse();
		assertThat(environment.getProperty("spring.data.redis.port")).isNull();
		assertThat(isListening(port)).isFalse();
	}

	@Test
	void usesTheRedisAlreadyAnsweringOnTheProbedPort() throws IOException {
		try (ServerSocket running = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
			this.starter = new EmbeddedRedisStarter(running.getLocalPort());
			StandardEnvironment environment = environment(Map.of("sample.embedded-redis-port", freePort()));

			this.starter.onApplicationEvent(event(environment));

			assertThat(this.starter.server()).isNull();
			assertThat(environment.getProperty("spring.data.redis.port")).isNull();
		}
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		// only the given properties: no SPRING_DATA_REDIS_* from the machine running the
		// tests
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

	private static ApplicationEnvironmentPreparedEvent event(StandardEnvironment environment) {
		return new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(),
				new SpringApplication(SampleApplication.class), new String[0], environment);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No free port on 127.0.0.1", ex);
		}
	}

	private static boolean isListening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
