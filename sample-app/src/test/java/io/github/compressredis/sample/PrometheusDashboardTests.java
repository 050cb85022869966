package io.github.compressredis.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus} on a free loopback port,
 * loading the rules of {@code docs/prometheus}) scrapes the sample under a bounded load;
 * every query of the Grafana dashboard, with its variables substituted, and every alert
 * expression without its threshold comparison must parse and return data. A corrupt value
 * read through the sample makes the read-failure series count. Skipped without the
 * package, except on CI where it fails. The Prometheus log goes to
 * {@code target/prometheus.log}.
 */
class PrometheusDashboardTests extends RunningSampleApplication {

	private static final String APPLICATION = "compress-redis-sample";

	private static final Duration WAIT = Duration.ofSeconds(90);

	private static final int PRODUCTS = 200;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path temp;

	private String prometheus = "";

	@Test
	void everyDashboardQueryAndAlertExpressionReturnsData() throws Exception {
		DebianPrometheus.assumeInstalled("PrometheusDashboardTests", DebianPrometheus.PROMETHEUS);
		int prometheusPort = DebianPrometheus.freePort();
		this.prometheus = "http://127.0.0.1:" + prometheusPort;
		Path config = this.temp.resolve("prometheus.yml");
		Files.writeString(config, """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				rule_files:
				  - %s
				scrape_configs:
				  - job_name: sample
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ['127.0.0.1:%d']
				""".formatted(DebianPrometheus.RULES, this.port));
		Files.createDirectories(Path.of("target"));
		Process server = new ProcessBuilder(DebianPrometheus.PROMETHEUS.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + this.temp.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort,
				"--storage.tsdb.retention.time=1h")
			.redirectErrorStream(true)
			.redirectOutput(Path.of("target", "prometheus.log").toFile())
			.start();
		try {
			await("Prometheus ready on " + this.prometheus).atMost(WAIT)
				.pollInterval(Duration.ofMillis(250))
				.until(() -> server.isAlive() && ready());
			// a scrape before the load, so that every counter's rate covers its growth
			await("a first scrape").atMost(WAIT).until(() -> firstValue(query("up{job=\"sample\"}")) == 1);
			loadAndReadProducts();
			readACorruptValue();
			await("a scrape that saw the corrupt read").atMost(WAIT)
				.until(() -> firstValue(query("sum(redis_compression_read_failures_total{job=\"sample\"})")) > 0);
			double scrapes = firstValue(query("count_over_time(up{job=\"sample\"}[1h])"));
			await("two more scrapes").atMost(WAIT)
				.until(() -> firstValue(query("count_over_time(up{job=\"sample\"}[1h])")) >= scrapes + 2);

			Map<String, String> queries = queries();
			queries.forEach(
					(name, expr) -> assertThat(query(expr).path("status").asString()).as("%s parses: %s", name, expr)
						.isEqualTo("success"));
			Map<String, Integer> series = new LinkedHashMap<>();
			await("every query returns data").atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
				series.clear();
				queries.forEach((name, expr) -> series.put(name, finiteSeries(query(expr))));
				assertThat(series).as("series with a finite value, per query")
					.allSatisfy((name, count) -> assertThat(count).as("%s: %s", name, queries.get(name)).isPositive());
			});
			series.forEach((name, count) -> System.out.printf("Prometheus: %3d series  %s%n", count, name));
			assertThat(
					firstValue(query("sum by (reason) (increase(redis_compression_read_failures_total{application=~\""
							+ APPLICATION + "\"}[1h])) > 0")))
				.as("read failures counted by reason")
				.isPositive();
			// the breaker is in exactly one state (which one depends on how loaded the
			// machine is)
			JsonNode state = query(
					"max by (state) (redis_compression_breaker_state{application=\"" + APPLICATION + "\"}) == 1")
				.path("data")
				.path("result");
			assertThat(state.size()).as("breaker states at 1: %s", state).isEqualTo(1);
			assertThat(state.get(0).path("metric").path("state").asString()).isIn("closed", "degraded", "half-open",
					"open");
			for (String variable : List.of("application", "target")) {
				assertThat(labelValues(variable)).as("values of the %s variable", variable).isNotEmpty();
			}
			assertThat(labelValues("application")).containsExactly(APPLICATION);
			assertThat(labelValues("target")).contains("cache", "template:stringRedisTemplate");
		}
		finally {
			server.destroy();
			if (!server.waitFor(30, TimeUnit.SECONDS)) {
				server.destroyForcibly();
			}
		}
	}

	/**
	 * The queries of every panel of the dashboard, in order.
	 * @param dashboard the dashboard's JSON
	 * @return each query's expression, as written in the dashboard
	 */
	static List<String> dashboardQueries(JsonNode dashboard) {
		List<String> queries = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				queries.add(target.path("expr").asString());
			}
		}
		return queries;
	}

	private Map<String, String> queries() throws IOException {
		Map<String, String> queries = new LinkedHashMap<>();
		JsonNode dashboard = json.readTree(Files.readString(DebianPrometheus.DASHBOARD));
		for (JsonNode panel : dashboard.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				queries.put("dashboard '" + panel.path("title").asString() + "' " + target.path("refId").asString(),
						target.path("expr")
							.asString()
							.replace("$application", APPLICATION)
							.replace("$target", ".*")
							.replace("$__rate_interval", "10m"));
			}
		}
		for (DebianPrometheus.Rule rule : DebianPrometheus.rules()) {
			if (rule.alert()) {
				List<String> parts = DebianPrometheus.withoutThresholds(rule.expression());
				for (int i = 0; i < parts.size(); i++) {
					queries.put("alert " + rule.name() + " [" + (i + 1) + "/" + parts.size() + "]", parts.get(i));
				}
			}
			else {
				queries.put("record " + rule.name(), rule.expression());
			}
		}
		return queries;
	}

	private void loadAndReadProducts() {
		HttpResponse<String> load = post("/products/load?count=" + PRODUCTS);
		assertThat(load.statusCode()).as(load.body()).isEqualTo(200);
		for (int id = 1; id <= PRODUCTS; id++) {
			assertThat(get("/products/" + id).statusCode()).isEqualTo(200);
			assertThat(get("/products/" + id + "/cached").statusCode()).isEqualTo(200);
		}
	}

	/**
	 * Store a compressed value with its last bytes changed under a new key, through raw
	 * Redis, and read it through the sample: the read fails (and is counted by reason)
	 * rather than returning the damaged data.
	 */
	private void readACorruptValue() {
		long failures = failures();
		byte[] value = ((byte[]) redis().command("GET", "product:1")).clone();
		for (int i = value.length - 8; i < value.length; i++) {
			value[i] ^= (byte) 0x5A;
		}
		redis().command("SET", "product:900001", value);
		assertThat(get("/products/900001").statusCode()).isEqualTo(500);
		assertThat(failures()).isEqualTo(failures + 1);
	}

	private long failures() {
		long total = 0;
		for (JsonNode count : compression().path("reads").path("failuresByReason")) {
			total += count.asLong();
		}
		return total;
	}

	private boolean ready() {
		try {
			return send(HttpRequest.newBuilder(URI.create(this.prometheus + "/-/ready")).GET()).statusCode() == 200;
		}
		catch (UncheckedIOException ex) {
			return false;
		}
	}

	private JsonNode query(String expr) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.prometheus + "/api/v1/query"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))));
		return json.readTree(response.body());
	}

	private List<String> labelValues(String variable) throws IOException {
		JsonNode dashboard = json.readTree(Files.readString(DebianPrometheus.DASHBOARD));
		for (JsonNode candidate : dashboard.path("templating").path("list")) {
			if (candidate.path("name").asString().equals(variable)) {
				// label_values(<selector>, <label>)
				String definition = candidate.path("query").path("query").asString();
				String selector = definition.substring("label_values(".length(), definition.lastIndexOf(','))
					.replace("$application", APPLICATION);
				String label = definition.substring(definition.lastIndexOf(',') + 1, definition.length() - 1).trim();
				HttpResponse<String> response = send(
						HttpRequest.newBuilder(URI.create(this.prometheus + "/api/v1/label/" + label
								+ "/values?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)))
							.GET());
				List<String> values = new ArrayList<>();
				json.readTree(response.body()).path("data").forEach((value) -> values.add(value.asString()));
				return values;
			}
		}
		throw new AssertionError("no variable " + variable);
	}

	private static int finiteSeries(JsonNode response) {
		int finite = 0;
		for (JsonNode series : response.path("data").path("result")) {
			double value = Double.parseDouble(series.path("value").get(1).asString());
			if (Double.isFinite(value)) {
				finite++;
			}
		}
		return finite;
	}

	private static double firstValue(JsonNode response) {
		JsonNode result = response.path("data").path("result");
		return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asString());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
