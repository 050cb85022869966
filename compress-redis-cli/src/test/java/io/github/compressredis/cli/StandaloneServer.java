package io.github.compressredis.cli;

import io.github.compressredis.embedded.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One real redis-server for a test class, a plain connection to it and its URI.
 */
abstract class StandaloneServer {

	static RedisServerProcess server;

	static Redis redis;

	static String uri;

	@BeforeAll
	static void startServer() {
		server = RedisServerProcess.start();
		redis = new Redis(server.host(), server.port());
		uri = "redis://" + server.host() + ":" + server.port();
	}

	@AfterAll
	static void stopServer() {
		redis.close();
		server.close();
	}

}
