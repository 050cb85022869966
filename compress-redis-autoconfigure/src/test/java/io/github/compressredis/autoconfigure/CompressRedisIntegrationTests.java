package io.github.compressredis.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.compressredis.embedded.RedisServerProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole application against a real redis-server: RedisTemplate, Spring Cache, the
 * reactive template and Spring Session store compressed values under untouched keys, and
 * the actuator reports it over HTTP.
 */
@SpringBootTest(classes = CompressRedisIntegrationTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "spring.data.redis.host=127.0.0.1", "spring.cache.type=redis",
				"spring.cache.cache-names=a,b",
				"management.endpoints.web.exposure.include=compression,prometheus,health", "spring.jmx.enabled=false",
				// the module's optional Nacos support is on the test classpath: no Nacos
				// here
				"spring.cloud.nacos.config.enabled=false", "spring.cloud.nacos.config.import-check.enabled=false" })
@DirtiesContext
class CompressRedisIntegrationTests {

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private static final String VALUE = TestPayloads.json(20 * 1024);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private StringRedisTemplate stringRedisTemplate;

	@Autowired
	private ReactiveStringRedisTemplate reactiveStringRedisTemplate;

	@Autowired
	private ReportService reportService;

	@Autowired
	private SessionRepository<? extends Session> sessionRepository;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", redis::port);
	}

	@Test
	void stringTemplateValueIsStoredCompressed() {
		this.stringRedisTemplate.opsForValue().set("template:greeting", VALUE);
		byte[] stored = rawGet("template:greeting");
		assertThat(TestPayloads.isFramed(stored)).isTrue();
		assertThat(stored[2]).isEqualTo(TestPayloads.VERSION_1_ZSTD);
		assertThat(stored.length).isLessThan(VALUE.length() / 4);
		assertThat(this.stringRedisTemplate.opsForValue().get("template:greeting")).isEqualTo(VALUE);
	}

	@Test
	void cacheEntryIsStoredCompressedUnderAReadableKey() {
		String report = this.reportService.report("r1");
		assertThat(report).hasSizeGreaterThan(20 * 1024);
		// with Lettuce, RedisCache writes asynchronously: the entry lands shortly after
		// the call
		byte[] stored = Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> (byte[]) redis.command("GET", "a::r1"), Objects::nonNull);
		assertThat(TestPayloads.isFramed(stored)).isTrue();
		assertThat(stored.length).isLessThan(VALUE.length() / 4);
		List<String> keys = utf8List(redis.command("KEYS", "a::*"));
		assertThat(keys).containsExactly("a::r1");
		// the second call is answered from the compressed entry
		assertThat(this.reportService.report("r1")).isEqualTo(report);
		assertThat(this.reportService.invocations()).isOne();
	}

	@Test
	void reactiveTemplateValueIsStoredCompressed() {
		assertThat(this.reactiveStringRedisTemplate.opsForValue().set("reactive:greeting", VALUE).block()).isTrue();
		byte[] stored = rawGet("reactive:greeting");
		assertThat(TestPayloads.isFramed(stored)).isTrue();
		assertThat(this.reactiveStringRedisTemplate.opsForValue().get("reactive:greeting").block()).isEqualTo(VALUE);
	}

	@Test
	void sessionAttributeIsStoredCompressed() {
		String id = saveSessionWithLargeAttribute(this.sessionRepository);
		List<?> hash = (List<?>) redis.command("HGETALL", "spring:session:sessions:" + id);
		assertThat(hash).isNotEmpty();
		List<String> fields = new ArrayList<>();
		byte[] attribute = null;
		for (int i = 0; i < hash.size(); i += 2) {
			String field = new String((byte[]) hash.get(i), StandardCharsets.UTF_8);
			fields.add(field);
			if (field.equals("sessionAttr:report")) {
				attribute = (byte[]) hash.get(i + 1);
			}
		}
		assertThat(fields).contains("sessionAttr:report", "creationTime", "lastAccessedTime");
		assertThat(attribute).isNotNull();
		assertThat(TestPayloads.isFramed(attribute)).isTrue();
		assertThat(attribute.length).isLessThan(10 * 1024);
		Session loaded = this.sessionRepository.findById(id);
		assertThat(loaded).isNotNull();
		assertThat((String) loaded.getAttribute("report")).isEqualTo(TestPayloads.json(10 * 1024));
	}

	@Test
	void compressionEndpointReportsWritesAndBytesSavedOverHttp() throws Exception {
		this.stringRedisTemplate.opsForValue().set("endpoint:first", VALUE);
		Map<String, Object> before = getJson("/actuator/compression");
		long compressed = number(before, "writes", "compressed");
		long saved = number(before, "bytes", "saved");
		assertThat(compressed).isPositive();
		assertThat(saved).isPositive();
		assertThat(member(before, "policy", "algorithm")).isEqualTo("zstd");
		this.stringRedisTemplate.opsForValue().set("endpoint:second", VALUE + " ");
		Map<String, Object> after = getJson("/actuator/compression");
		assertThat(number(after, "writes", "compressed")).isGreaterThan(compressed);
		assertThat(number(after, "bytes", "saved")).isGreaterThan(saved);
	}

	@Test
	void prometheusScrapeContainsCompressionMeters() throws Exception {
		this.stringRedisTemplate.opsForValue().set("prometheus:value", VALUE);
		HttpResponse<String> response = get("/actuator/prometheus");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("redis_compression_writes_total{outcome=\"compressed\"")
			.contains("redis_compression_written_bytes_total{stage=\"stored\"");
	}

	private <S extends Session> String saveSessionWithLargeAttribute(SessionRepository<S> repository) {
		S session = repository.createSession();
		session.setAttribute("report", TestPayloads.json(10 * 1024));
		repository.save(session);
		return session.getId();
	}

	private static byte[] rawGet(String key) {
		Object reply = redis.command("GET", key);
		assertThat(reply).as(key).isInstanceOf(byte[].class);
		return (byte[]) reply;
	}

	private static List<String> utf8List(Object reply) {
		assertThat(reply).isInstanceOf(List.class);
		return ((List<?>) reply).stream().map((item) -> new String((byte[]) item, StandardCharsets.UTF_8)).toList();
	}

	// Boot's own parser: the same on every Spring Boot line this suite runs on
	private Map<String, Object> getJson(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return JsonParserFactory.getJsonParser().parseMap(response.body());
	}

	private static Object member(Map<String, Object> json, String... path) {
		Object node = json;
		for (String name : path) {
			assertThat(node).as(String.join(".", path)).isInstanceOf(Map.class);
			node = ((Map<?, ?>) node).get(name);
		}
		return node;
	}

	private static long number(Map<String, Object> json, String... path) {
		Object value = member(json, path);
		assertThat(value).as(String.join(".", path)).isInstanceOf(Number.class);
		return ((Number) value).longValue();
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableCaching
	static class TestApplication {

		@Bean
		ReportService reportService() {
			return new ReportService();
		}

	}

	public static class ReportService {

		private final AtomicInteger invocations = new AtomicInteger();

		@Cacheable("a")
		public String report(String id) {
			this.invocations.incrementAndGet();
			return TestPayloads.json(20 * 1024);
		}

		public int invocations() {
			return this.invocations.get();
		}

	}

}
