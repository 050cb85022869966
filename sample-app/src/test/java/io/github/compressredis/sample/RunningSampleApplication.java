package io.github.compressredis.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.compressredis.embedded.RedisServerProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample application on a random port, against a redis-server started for the test
 * JVM (so the embedded-Redis fallback is not involved); subclasses share one application
 * context.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class RunningSampleApplication {

	static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", () -> TestRedis.SERVER.host());
		registry.add("spring.data.redis.port", () -> TestRedis.SERVER.port());
	}

	static RedisServerProcess redis() {
		return TestRedis.SERVER;
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
	}

	HttpResponse<String> post(String path) {
		return send(HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.noBody()));
	}

	HttpResponse<String> postJson(String path, String body) {
		return send(HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	JsonNode compression() {
		HttpResponse<String> response = get("/actuator/compression");
		if (response.statusCode() != 200) {
			throw new IllegalStateException(
					"GET /actuator/compression answered " + response.statusCode() + ": " + response.body());
		}
		return json.readTree(response.body());
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One redis-server for the whole test JVM, started on first use on a free port and
	 * stopped when the JVM exits (the application context is cached until then too).
	 */
	private static final class TestRedis {

		static final RedisServerProcess SERVER = start();

		private static RedisServerProcess start() {
			RedisServerProcess server = RedisServerProcess.start();
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-redis-stop"));
			return server;
		}

	}

}
