package io.github.compressredis.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.compressredis.embedded.RedisServerProcess;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/compression} over HTTP in a whole application against a real
 * redis-server: the write operation enabled by Boot's access model, a refusal answered
 * with 400 and its reason in the body, unknown fields refused, and the targets section
 * with each target's policy and breaker.
 */
@SpringBootTest(classes = CompressionEndpointHttpIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "spring.data.redis.host=127.0.0.1", "spring.cache.type=redis",
				"spring.cache.cache-names=products", "compress.redis.cache.policies.products.level=15",
				"management.endpoints.web.exposure.include=compression,prometheus",
				"management.endpoint.compression.access=unrestricted", "spring.jmx.enabled=false",
				"spring.cloud.nacos.config.enabled=false", "spring.cloud.nacos.config.import-check.enabled=false" })
@DirtiesContext
class CompressionEndpointHttpIntegrationTests {

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private StringRedisTemplate stringRedisTemplate;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", redis::port);
	}

	@Test
	void refusedChangesAnswer400WithTheReasonAndValidOnesApply() throws Exception {
		HttpResponse<String> snappy = post("{\"algorithm\":\"snappy\"}");
		assertThat(snappy.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(snappy.body()).get("reason").asString())
			.startsWith("'algorithm' snappy is not available here");
		HttpResponse<String> sizes = post("{\"minSize\":\"4096\",\"maxDecompressedSize\":\"1024\"}");
		assertThat(sizes.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(sizes.body()).get("reason").asString())
			.startsWith("'max-decompressed-size' 1024 bytes is below 'min-size' 4096 bytes");
		HttpResponse<String> unknown = post("{\"algoritm\":\"zstd\"}");
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(unknown.body()).get("reason").asString())
			.startsWith("unknown field 'algoritm'; the body may set algorithm, level, minSize");
		HttpResponse<String> underscored = post("{\"min_size\":\"4KB\"}");
		assertThat(underscored.statusCode()).isEqualTo(400);
		JsonNode before = getJson();
		assertThat(before.get("policy").get("version").asLong()).isOne();
		assertThat(before.get("lastRefused").get("reason").asString()).contains("unknown field 'min_size'");
		HttpResponse<String> accepted = post("{\"minSize\":\"1KB\",\"level\":5,\"rolloutPercent\":50}");
		assertThat(accepted.statusCode()).isEqualTo(200);
		JsonNode policy = getJson().get("policy");
		assertThat(policy.get("minSize").asInt()).isEqualTo(1024);
		assertThat(policy.get("level").asInt()).isEqualTo(5);
		assertThat(policy.get("rolloutPercent").asInt()).isEqualTo(50);
		assertThat(policy.get("source").asString()).isEqualTo("endpoint");
		assertThat(get("/actuator/prometheus").body()).contains("redis_compression_policy_refused_total 4.0");
	}

	@Test
	void targetsSectionShowsEachTargetsPolicyBreakerAndWrites() throws Exception {
		this.stringRedisTemplate.opsForValue().set("target:greeting", TestPayloads.json(8192));
		JsonNode targets = getJson().get("targets");
		JsonNode template = find(targets, "template:stringRedisTemplate");
		assertThat(template.get("policy").get("algorithm").asString()).isEqualTo("zstd");
		assertThat(template.get("breaker").get("state").asString()).isEqualTo("closed");
		assertThat(template.get("writesByOutcome").get("compressed").asLong()).isOne();
		assertThat(template.get("bytesSaved").asLong()).isPositive();
		JsonNode products = find(targets, "cache:products");
		assertThat(products.get("policy").get("level").asInt()).isEqualTo(15);
		assertThat(products.get("override").asString()).isEqualTo("level=15");
		assertThat(get("/actuator/prometheus").body()).contains(
				"redis_compression_target_writes_total{outcome=\"compressed\",target=\"template:stringRedisTemplate\"}")
			.contains("target=\"cache:products\"");
	}

	private static JsonNode find(JsonNode targets, String name) {
		for (JsonNode target : targets) {
			if (target.get("name").asString().equals(name)) {
				return target;
			}
		}
		throw new AssertionError("no target " + name + " in " + targets);
	}

	private JsonNode getJson() throws IOException, InterruptedException {
		HttpResponse<String> response = get("/actuator/compression");
		assertThat(response.statusCode()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String body) throws IOException, InterruptedException {
		return this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/compression"))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableCaching
	static class TestApplication {

	}

}
