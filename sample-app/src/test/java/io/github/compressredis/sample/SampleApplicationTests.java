package io.github.compressredis.sample;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample end to end over HTTP: products stored compressed in a real Redis, the
 * figures of {@code /actuator/compression}, and the policy switch through its write
 * operation.
 */
class SampleApplicationTests extends RunningSampleApplication {

	private final ProductDetailsGenerator generator = new ProductDetailsGenerator();

	@Test
	void loadedProductsAreStoredCompressedAndReadBackUnchanged() {
		HttpResponse<String> load = post("/products/load?count=20");
		assertThat(load.statusCode()).as(load.body()).isEqualTo(200);
		assertThat(json.readTree(load.body()).path("loaded").asInt()).isEqualTo(20);

		JsonNode compression = compression();
		assertThat(compression.path("writes").path("compressed").asLong()).isPositive();
		assertThat(compression.path("bytes").path("saved").asLong()).isPositive();

		byte[] raw = rawValue("product:1");
		assertThat(raw).startsWith(0xC1, 0x8D);
		assertThat(raw.length).isLessThan(this.generator.details(1).length());

		HttpResponse<String> product = get("/products/1");
		assertThat(product.statusCode()).isEqualTo(200);
		assertThat(product.body()).isEqualTo(this.generator.details(1));
		assertThat(get("/products/7/cached").body()).isEqualTo(this.generator.details(7));
		assertThat(compression().path("reads").path("compressed").asLong()).isPositive();
		JsonNode latency = compression().path("latency").path("decompress");
		assertThat(latency.path("p99Micros").asDouble()).as("latency fields carry their unit: %s", latency)
			.isPositive();
	}

	@Test
	void missingProductIsNotFound() {
		assertThat(get("/products/987654").statusCode()).isEqualTo(404);
	}

	@Test
	void bulkLoadRefusesCountsOutOfRange() {
		HttpResponse<String> response = post("/products/load?count=10001");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("'count' must be between 1 and 10000");
	}

	@Test
	void policySwitchThroughTheEndpointAppliesToNewWrites() {
		long version = compression().path("policy").path("version").asLong();
		try {
			HttpResponse<String> response = postJson("/actuator/compression", "{\"algorithm\":\"gzip\",\"level\":1}");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode policy = json.readTree(response.body()).path("policy");
			assertThat(policy.path("algorithm").asString()).isEqualTo("gzip");
			assertThat(policy.path("level").asInt()).isEqualTo(1);
			assertThat(policy.path("version").asLong()).isEqualTo(version + 1);
			assertThat(policy.path("source").asString()).isEqualTo("endpoint");

			assertThat(post("/products/2").statusCode()).isEqualTo(200);
			byte[] raw = rawValue("product:2");
			// format version 1 in the high nibble, codec id 3 (gzip) in the low one
			assertThat(raw).startsWith(0xC1, 0x8D, 0x13);
			assertThat(get("/products/2").body()).isEqualTo(this.generator.details(2));
		}
		finally {
			postJson("/actuator/compression", "{\"algorithm\":\"zstd\",\"level\":3}");
		}
	}

	@Test
	void invalidPolicyChangeIsRefusedWith400AndRecorded() {
		JsonNode before = compression().path("policy");

		HttpResponse<String> response = postJson("/actuator/compression", "{\"algorithm\":\"zstd\",\"level\":99}");

		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode after = compression();
		assertThat(after.path("policy")).isEqualTo(before);
		assertThat(after.path("lastRefused").path("source").asString()).isEqualTo("endpoint");
		assertThat(after.path("lastRefused").path("reason").asString())
			.isEqualTo("'level' 99 is out of range for zstd (-22 to 22)");
	}

	@Test
	void pageAndMetersAreServed() {
		HttpResponse<String> page = get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<title>compress-redis sample", "app.js", "style.css");
		assertThat(get("/app.js").statusCode()).isEqualTo(200);
		assertThat(get("/style.css").statusCode()).isEqualTo(200);
		HttpResponse<String> prometheus = get("/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
	}

	private static byte[] rawValue(String key) {
		Object value = redis().command("GET", key);
		assertThat(value).as("raw value of %s", key).isInstanceOf(byte[].class);
		return (byte[]) value;
	}

}
