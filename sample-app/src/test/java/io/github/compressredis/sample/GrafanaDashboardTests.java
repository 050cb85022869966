package io.github.compressredis.sample;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard of {@code docs/grafana} checked structurally (Grafana is neither
 * in Debian nor on Maven Central): valid JSON, the datasource and application variables,
 * every panel on the datasource variable with a query per target, every series selected
 * by application. {@link PrometheusDashboardTests} runs its queries against a real
 * Prometheus.
 */
class GrafanaDashboardTests {

	private static final Pattern SELECTOR = Pattern.compile("(redis_compression_[a-z_]+)(\\{[^}]*\\})?");

	private final JsonNode dashboard = JsonMapper.builder().build().readTree(read());

	@Test
	void variablesSelectDatasourceApplicationAndTarget() {
		List<String> names = new ArrayList<>();
		this.dashboard.path("templating")
			.path("list")
			.forEach((variable) -> names.add(variable.path("name").asString()));
		assertThat(names).containsExactly("datasource", "application", "target");
		JsonNode datasource = variable("datasource");
		assertThat(datasource.path("type").asString()).isEqualTo("datasource");
		assertThat(datasource.path("query").asString()).isEqualTo("prometheus");
		assertThat(variable("application").path("query").path("query").asString())
			.isEqualTo("label_values(redis_compression_writes_total, application)");
		assertThat(variable("target").path("query").path("query").asString()).contains("application=~\"$application\"");
		for (String name : List.of("application", "target")) {
			assertThat(variable(name).path("datasource").path("uid").asString()).as(name).isEqualTo("${datasource}");
			assertThat(variable(name).path("includeAll").asBoolean()).as(name).isTrue();
			assertThat(variable(name).path("allValue").asString()).as(name).isEqualTo(".*");
		}
	}

	@Test
	void everyPanelQueriesTheDatasourceVariableAndFiltersByApplication() {
		Set<Integer> ids = new HashSet<>();
		int queries = 0;
		for (JsonNode panel : this.dashboard.path("panels")) {
			String title = panel.path("title").asString();
			assertThat(title).isNotBlank();
			assertThat(ids.add(panel.path("id").asInt())).as("unique id of %s", title).isTrue();
			assertThat(panel.path("gridPos").path("w").asInt()).as("width of %s", title).isBetween(1, 24);
			if (panel.path("type").asString().equals("row")) {
				continue;
			}
			assertThat(panel.path("datasource").path("uid").asString()).as("datasource of %s", title)
				.isEqualTo("${datasource}");
			assertThat(panel.path("fieldConfig").path("defaults").path("unit").asString()).as("unit of %s", title)
				.isNotBlank();
			assertThat(panel.path("targets").size()).as("targets of %s", title).isPositive();
			Set<String> refIds = new HashSet<>();
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asString();
				assertThat(expr).as("expr of %s", title).isNotBlank();
				assertThat(refIds.add(target.path("refId").asString())).as("refIds of %s", title).isTrue();
				assertThat(target.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
				Matcher selector = SELECTOR.matcher(expr);
				while (selector.find()) {
					assertThat(selector.group(2)).as("selector of %s in %s", selector.group(1), title)
						.contains("application=~\"$application\"");
				}
				queries++;
			}
		}
		assertThat(queries).isEqualTo(PrometheusDashboardTests.dashboardQueries(this.dashboard).size());
	}

	@Test
	void panelsCoverWhatTheDashboardPromises() {
		String all = PrometheusDashboardTests.dashboardQueries(this.dashboard).toString();
		assertThat(all).contains("redis_compression_written_bytes_total", "redis_compression_target_saved_bytes_total",
				"redis_compression_ratio_sum",
				"redis_compression_target_writes_total{application=~\"$application\",target=~\"$target\",outcome=\"compressed\"}",
				"redis_compression_reads_total", "histogram_quantile(0.99",
				"redis_compression_decompress_seconds_bucket{application=~\"$application\",le=\"0.003\"}",
				"redis_compression_fallbacks_total", "redis_compression_read_failures_total",
				"redis_compression_target_breaker_state", "redis_compression_breaker_state");
	}

	private JsonNode variable(String name) {
		for (JsonNode variable : this.dashboard.path("templating").path("list")) {
			if (variable.path("name").asString().equals(name)) {
				return variable;
			}
		}
		throw new AssertionError("no variable " + name);
	}

	private static String read() {
		try {
			return Files.readString(DebianPrometheus.DASHBOARD);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
