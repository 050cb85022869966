package io.github.compressredis.aot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.embedded.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts {@link AotTestApplication} in a child JVM from what
 * {@code spring-boot:process-aot} generated in the build
 * ({@code -Dspring.aot.enabled=true}, the compiled and generated classes and the runtime
 * dependencies), against a real redis-server on a free loopback port, and checks that its
 * values are stored compressed with zstd and read back.
 *
 * @author compress-redis contributors
 */
class AotApplicationTests {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private static final String MAIN_CLASS = AotTestApplication.class.getName();

	/** The two magic bytes every stored value begins with (FORMAT.md, section 2). */
	private static final byte[] MAGIC = { (byte) 0xC1, (byte) 0x8D };

	/** The codec id of zstd in the header's low nibble (FORMAT.md, "Codec ids"). */
	private static final int ZSTD_CODEC_ID = 1;

	private static final int LZ4_CODEC_ID = 2;

	private static final String METADATA = "META-INF/native-image/io.github.compressredis/compress-redis-aot-tests/"
			+ "reachability-metadata.json";

	private static final String VALUE = "{\"sku\":\"A-1\",\"title\":\"A sturdy, washable, everyday item\"}".repeat(20);

	// HTTP/1.1 as the application serves it: no h2c upgrade attempt on each new
	// connection
	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private static final JsonMapper json = JsonMapper.builder().build();

	// closed after the application is stopped
	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private static Process application;

	private static Path log;

	private static URI base;

	@BeforeAll
	static void startApplicationFromAotOutput() throws IOException {
		Path classes = Path.of(property("aot.classes"));
		assertThat(classes.resolve(MAIN_CLASS.replace('.', '/') + "__ApplicationContextInitializer.class"))
			.as("the initializer spring-boot:process-aot generates")
			.isRegularFile();
		String dependencies = Files.readString(Path.of(property("aot.classpath.file"))).strip();
		Path work = Files.createDirectories(Path.of(property("aot.work")));
		Path portFile = work.resolve("application.port");
		Files.deleteIfExists(portFile);
		log = work.resolve("application.log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-Dspring.aot.enabled=true");
		command.add("-DPORTFILE=" + portFile);
		command.add("-cp");
		command.add(classes + java.io.File.pathSeparator + dependencies);
		command.add(MAIN_CLASS);
		command.add("--spring.data.redis.port=" + redis.port());
		application = new ProcessBuilder(command).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		await("the application to listen (log: " + log + ")").atMost(STARTUP_TIMEOUT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				assertThat(application.isAlive()).as("application running; its output:%n%s", logTail()).isTrue();
				return Files.exists(portFile) && !Files.readString(portFile).isBlank();
			});
		base = URI.create("http://127.0.0.1:" + Files.readString(portFile).strip());
	}

	@AfterAll
	static void stopApplication() throws InterruptedException {
		if (application != null) {
			application.destroy();
			if (!application.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				application.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void applicationRunsFromBeanDefinitionsGeneratedAtBuildTime() throws Exception {
		JsonNode startup = json.readTree(get("/startup").body());
		assertThat(startup.get("generatedArtifacts").asBoolean()).isTrue();
		// its condition was only met during spring-boot:process-aot
		assertThat(startup.get("processedAtBuildTime").asBoolean()).isTrue();
		assertThat(Files.readString(log)).contains("Starting AOT-processed AotTestApplication");
	}

	@Test
	void redisTemplateValuesAreStoredCompressedWithZstdAndReadBack() throws Exception {
		assertWrittenCompressedAndReadBack("/values/", "aot:template", ZSTD_CODEC_ID);
	}

	@Test
	void reactiveTemplateValuesAreStoredCompressedWithZstdAndReadBack() throws Exception {
		assertWrittenCompressedAndReadBack("/reactive-values/", "aot:reactive", ZSTD_CODEC_ID);
	}

	@Test
	void policyChangedThroughTheEndpointTakesEffect() throws Exception {
		try {
			HttpResponse<String> refused = post("/actuator/compression", "{\"algorithm\":\"lz4\",\"levle\":1}");
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
			assertThat(refused.body()).contains("unknown field 'levle'");
			HttpResponse<String> changed = post("/actuator/compression", "{\"algorithm\":\"lz4\"}");
			assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
			assertThat(json.readTree(changed.body()).at("/policy/algorithm").asString()).isEqualTo("lz4");
			assertWrittenCompressedAndReadBack("/values/", "aot:lz4", LZ4_CODEC_ID);
		}
		finally {
			assertThat(post("/actuator/compression", "{\"algorithm\":\"zstd\"}").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void runtimeHintsOfTheStarterAreInTheGeneratedMetadata() throws Exception {
		JsonNode metadata = json.readTree(Path.of(property("aot.classes"), METADATA).toFile());
		assertThat(metadata.get("resources").valueStream().map((entry) -> entry.path("glob").asString()))
			.contains("*/*/libzstd-jni-*.so", "net/jpountz/util/*/*/liblz4-java.*");
		assertThat(entry(metadata.get("jni"), "com.github.luben.zstd.ZstdCompressCtx").toString())
			.contains("nativePtr");
		assertThat(entry(metadata.get("reflection"), "net.jpountz.lz4.LZ4JNICompressor").toString())
			.contains("INSTANCE");
		assertThat(entry(metadata.get("reflection"),
				"io.github.compressredis.actuate.endpoint.CompressionEndpoint$RefusalDescriptor"))
			.isNotNull();
		// spring.factories entries are described by Spring's own hints
		for (String factory : List.of(
				"io.github.compressredis.autoconfigure.DeprecatedPropertiesEnvironmentPostProcessor",
				"io.github.compressredis.autoconfigure.InvalidCompressRedisPropertyFailureAnalyzer")) {
			assertThat(entry(metadata.get("reflection"), factory).path("allDeclaredConstructors").asBoolean())
				.as(factory)
				.isTrue();
		}
		assertThat(metadata.get("reflection").valueStream().map((entry) -> entry.get("type").toString()))
			.contains("{\"proxy\":[\"org.springframework.data.redis.core.ReactiveValueOperations\"]}");
	}

	@Test
	void cachedValuesAreStoredCompressedWithZstdAndReadBack() throws Exception {
		JsonNode first = json.readTree(get("/products/p-1").body());
		String loaded = get("/products/p-1/loads").body();
		byte[] stored = (byte[]) redis.command("GET", "products::p-1");
		assertFrame(stored, ZSTD_CODEC_ID, -1);
		// served from the cache: not loaded again
		JsonNode second = json.readTree(get("/products/p-1").body());
		assertThat(second).isEqualTo(first);
		assertThat(get("/products/p-1/loads").body()).as("loads of p-1").isEqualTo(loaded).isNotEqualTo("0");

		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(decompress(stored)))) {
			Product product = (Product) in.readObject();
			assertThat(product.id()).isEqualTo("p-1");
			assertThat(product.description()).isEqualTo(first.get("description").asString());
		}
	}

	@Test
	void compressionEndpointReportsZstdWrites() throws Exception {
		get("/products/p-2");
		JsonNode compression = json.readTree(get("/actuator/compression").body());
		assertThat(compression.at("/policy/algorithm").asString()).isEqualTo("zstd");
		assertThat(compression.at("/writes/compressedByCodec/zstd").asLong()).isPositive();
	}

	/**
	 * Write {@link #VALUE} through the application, check the bytes Redis holds are a
	 * frame of the codec that decompresses to it, and read it back through the
	 * application.
	 */
	private static void assertWrittenCompressedAndReadBack(String path, String key, int codecId)
			throws IOException, InterruptedException {
		put(path + key, VALUE);
		byte[] stored = (byte[]) redis.command("GET", key);
		assertFrame(stored, codecId, VALUE.getBytes(StandardCharsets.UTF_8).length);
		assertThat(new String(decompress(stored), StandardCharsets.UTF_8)).isEqualTo(VALUE);
		assertThat(get(path + key).body()).isEqualTo(VALUE);
	}

	private static JsonNode entry(JsonNode entries, String type) {
		return entries.valueStream()
			.filter((entry) -> type.equals(entry.get("type").asString(null)))
			.findFirst()
			.orElseThrow(() -> new AssertionError(type + " not in the generated metadata"));
	}

	private static void assertFrame(byte[] stored, int codecId, int originalLength) {
		assertThat(stored).as("stored value").isNotNull();
		assertThat(stored).as("starts with the format's magic").startsWith(MAGIC);
		assertThat(stored[2] & 0x0F).as("codec id").isEqualTo(codecId);
		if (originalLength >= 0) {
			assertThat(stored.length).isLessThan(originalLength);
		}
	}

	private static byte[] decompress(byte[] stored) {
		return ValueCompressor.builder().build().decompress(stored);
	}

	private static void put(String path, String value) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
			.PUT(HttpRequest.BodyPublishers.ofString(value))
			.header("Content-Type", "text/plain")
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("PUT %s: %s", path, response.body()).isEqualTo(200);
	}

	private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(base.resolve(path))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		return response;
	}

	private static String property(String name) {
		String value = System.getProperty(name);
		assertThat(value).as("system property %s (set by the module's surefire configuration)", name).isNotBlank();
		return value;
	}

	private static String logTail() {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

}
