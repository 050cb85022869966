package io.github.compressredis.it.boot3;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.compressredis.embedded.RedisServerProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.cache.RedisCacheManagerBuilderCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.SpringVersion;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Boot 3.5 application, started against a real redis-server: with the Boot 3 starter
 * and {@code compress.redis.algorithm: zstd} only, RedisTemplate, {@code @Cacheable},
 * reactive template and Spring Session values are stored as zstd frames and read back,
 * and the actuator endpoint and meters count them.
 *
 * @author compress-redis contributors
 */
@SpringBootTest(classes = Boot3Application.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "spring.data.redis.host=127.0.0.1", "spring.jmx.enabled=false" })
@DirtiesContext
class Boot3ApplicationTests {

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.cookieHandler(new CookieManager())
		.build();

	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private StringRedisTemplate stringRedisTemplate;

	@Autowired
	private ReactiveStringRedisTemplate reactiveStringRedisTemplate;

	@Autowired
	private ReportService reportService;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", redis::port);
	}

	@Test
	void applicationRunsOnSpringBoot35AndSpringFramework62() {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
		assertThat(SpringVersion.getVersion()).startsWith("6.2.");
		assertThat(this.context.getBeansOfType(RedisCacheManagerBuilderCustomizer.class))
			.containsKey("compressingRedisCacheManagerBuilderCustomizer");
	}

	@Test
	void redisTemplateValueIsStoredAsZstdFrameAndReadBack() {
		String report = Reports.of("template");
		this.stringRedisTemplate.opsForValue().set("template:report", report);
		byte[] stored = rawGet("template:report");
		assertThat(stored.length).isLessThan(report.length() / 4);
		assertThat(new String(ZstdValues.decode(stored), StandardCharsets.UTF_8)).isEqualTo(report);
		assertThat(this.stringRedisTemplate.opsForValue().get("template:report")).isEqualTo(report);
	}

	@Test
	void cacheableResultIsStoredAsZstdFrameAndAnsweredFromTheCache() {
		String report = this.reportService.report("c1");
		// with Lettuce, RedisCache may write after the call returns
		byte[] stored = Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> (byte[]) redis.command("GET", "reports::c1"), Objects::nonNull);
		assertThat(stored.length).isLessThan(report.length() / 4);
		assertThat(new JdkSerializationRedisSerializer().deserialize(ZstdValues.decode(stored))).isEqualTo(report);
		assertThat(this.reportService.report("c1")).isEqualTo(report);
		assertThat(this.reportService.builds()).isOne();
	}

	@Test
	void reactiveTemplateValueIsStoredAsZstdFrameAndReadBack() {
		String report = Reports.of("reactive");
		assertThat(this.reactiveStringRedisTemplate.opsForValue().set("reactive:report", report).block()).isTrue();
		byte[] stored = rawGet("reactive:report");
		assertThat(new String(ZstdValues.decode(stored), StandardCharsets.UTF_8)).isEqualTo(report);
		assertThat(this.reactiveStringRedisTemplate.opsForValue().get("reactive:report").block()).isEqualTo(report);
	}

	@Test
	void sessionAttributeIsStoredAsZstdFrameAndReadBack() throws Exception {
		HttpResponse<String> kept = send(
				HttpRequest.newBuilder(uri("/session/report/s1")).POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(kept.statusCode()).isEqualTo(200);
		String sessionId = kept.body();
		Object attribute = redis.command("HGET", "spring:session:sessions:" + sessionId, "sessionAttr:report");
		assertThat(attribute).isInstanceOf(byte[].class);
		byte[] stored = (byte[]) attribute;
		assertThat(stored.length).isLessThan(Reports.of("s1").length() / 4);
		assertThat(new JdkSerializationRedisSerializer().deserialize(ZstdValues.decode(stored)))
			.isEqualTo(Reports.of("s1"));
		// the next request of the same client reads the session back from Redis
		HttpResponse<String> read = send(HttpRequest.newBuilder(uri("/session/report")).GET());
		assertThat(read.body()).isEqualTo(Reports.of("s1"));
	}

	@Test
	void actuatorEndpointAndMetersCountCompressedWrites() throws Exception {
		this.stringRedisTemplate.opsForValue().set("endpoint:report", Reports.of("endpoint"));
		JsonNode endpoint = getJson("/actuator/compression");
		assertThat(endpoint.path("policy").path("algorithm").asText()).isEqualTo("zstd");
		assertThat(endpoint.path("writes").path("compressed").asLong()).isPositive();
		assertThat(endpoint.path("bytes").path("saved").asLong()).isPositive();
		JsonNode meter = getJson("/actuator/metrics/redis.compression.writes?tag=outcome:compressed");
		assertThat(meter.path("measurements").get(0).path("value").asDouble()).isPositive();
	}

	private static byte[] rawGet(String key) {
		Object reply = redis.command("GET", key);
		assertThat(reply).as(key).isInstanceOf(byte[].class);
		return (byte[]) reply;
	}

	private JsonNode getJson(String path) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
