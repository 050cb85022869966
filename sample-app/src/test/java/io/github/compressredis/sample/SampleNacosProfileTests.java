package io.github.compressredis.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.testsupport.nacos.NacosServer;
import io.github.compressredis.testsupport.nacos.NacosServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample with {@code --spring.profiles.active=nacos} against the kit's real Nacos
 * server: it starts although Nacos holds an invalid policy (and shows the refusal),
 * applies lz4 at lz4's default level, and applies a valid change right after a refused
 * one.
 */
@ExtendWith(NacosServerExtension.class)
class SampleNacosProfileTests {

	private static final String GROUP = "DEFAULT_GROUP";

	private static final Duration ARRIVAL = Duration.ofSeconds(60);

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void nacosProfileFollowsTheRealServer(NacosServer nacos) throws Exception {
		String dataId = NacosServerExtension.uniqueDataId("sample");
		nacos.publish(dataId, GROUP, "compress:\n  redis:\n    algorithm: brotli\n");
		try (RedisServerProcess redis = RedisServerProcess.start();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
						"--spring.profiles.active=nacos", "--server.port=0", "--spring.data.redis.host=127.0.0.1",
						"--spring.data.redis.port=" + redis.port(),
						"--spring.cloud.nacos.config.server-addr=" + nacos.serverAddr(),
						"--compress.redis.nacos.data-id=" + dataId)) {
			String url = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
					+ "/actuator/compression";
			JsonNode started = compression(url);
			assertThat(started.at("/policy/algorithm").asString()).isEqualTo("zstd");
			assertThat(started.at("/policy/level").asInt()).isEqualTo(3);
			assertThat(started.at("/lastRefused/reason").asString()).contains("brotli");

			nacos.publish(dataId, GROUP, "compress:\n  redis:\n    algorithm: lz4\n");
			await().atMost(ARRIVAL).until(() -> "lz4".equals(compression(url).at("/policy/algorithm").asString()));
			JsonNode lz4 = compression(url);
			assertThat(lz4.at("/policy/level").asInt()).isZero();
			assertThat(lz4.at("/policy/source").asString()).isEqualTo("nacos");

			nacos.publish(dataId, GROUP, "compress:\n  redis:\n    level: 99\n");
			await().atMost(ARRIVAL).until(() -> compression(url).at("/lastRefused/reason").asString().contains("99"));
			nacos.publish(dataId, GROUP, "compress:\n  redis:\n    algorithm: gzip\n");
			await().atMost(ARRIVAL).until(() -> "gzip".equals(compression(url).at("/policy/algorithm").asString()));
			assertThat(compression(url).at("/policy/source").asString()).isEqualTo("nacos");
		}
	}

	private JsonNode compression(String url) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return RunningSampleApplication.json.readTree(response.body());
	}

}
