package io.github.compressredis.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

import io.github.compressredis.embedded.RedisServerProcess;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts a real redis-server (from the embedded-redis artifact) on
 * {@code sample.embedded-redis-port} when the application configures no Redis and none
 * answers on localhost:6379, and points Spring Data Redis at it. Stopped when the JVM
 * exits.
 *
 * @author compress-redis contributors
 */
class EmbeddedRedisStarter implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisStarter.class);

	private static final int DEFAULT_REDIS_PORT = 6379;

	private final int probePort;

	private volatile @Nullable RedisServerProcess server;

	EmbeddedRedisStarter() {
		this(DEFAULT_REDIS_PORT);
	}

	/**
	 * Create a starter that looks for a running Redis on another local port than 6379.
	 * @param probePort the local port where an already running Redis is used instead
	 */
	EmbeddedRedisStarter(int probePort) {
		this.probePort = probePort;
	}

	/**
	 * Return the redis-server this listener started.
	 * @return the server, or {@code null} if none was started
	 */
	@Nullable RedisServerProcess server() {
		return this.server;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		if (redisConfigured(environment)) {
			logger.info("Using the Redis configured by spring.data.redis.*");
			return;
		}
		if (answers("127.0.0.1", this.probePort)) {
			logger.info("Using the Redis found on localhost:" + this.probePort);
			return;
		}
		int port = environment.getProperty("sample.embedded-redis-port", Integer.class, DEFAULT_REDIS_PORT);
		RedisServerProcess server = RedisServerProcess.start(port);
		this.server = server;
		Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-redis-stop"));
		environment.getPropertySources()
			.addFirst(new MapPropertySource("embeddedRedis",
					Map.of("spring.data.redis.host", server.host(), "spring.data.redis.port", server.port())));
		logger.info("No Redis configured or reachable: started an embedded redis-server on " + server.host() + ":"
				+ server.port() + " (set spring.data.redis.host/port to use your own)");
	}

	private static boolean redisConfigured(ConfigurableEnvironment environment) {
		return environment.containsProperty("spring.data.redis.host")
				|| environment.containsProperty("spring.data.redis.port")
				|| environment.containsProperty("spring.data.redis.url")
				|| environment.containsProperty("spring.data.redis.cluster.nodes")
				|| environment.containsProperty("spring.data.redis.sentinel.nodes");
	}

	private static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
