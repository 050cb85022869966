package io.github.compressredis.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules of {@code docs/prometheus} are valid for Prometheus
 * ({@code promtool check
 * rules}) and fire when, and only when, their unit tests say
 * ({@code promtool test rules}). Skipped without Debian's {@code prometheus} package,
 * except on CI where it fails.
 */
class PrometheusRulesTests {

	@TempDir
	Path temp;

	@BeforeEach
	void promtoolInstalled() {
		DebianPrometheus.assumeInstalled("PrometheusRulesTests", DebianPrometheus.PROMTOOL);
	}

	@Test
	void rulesFileIsValid() throws Exception {
		String output = promtool("check", "rules", DebianPrometheus.RULES.toString());
		assertThat(output).contains("SUCCESS: " + DebianPrometheus.rules().size() + " rules found");
	}

	@Test
	void rulesPassTheirUnitTests() throws Exception {
		String output = promtool("test", "rules", DebianPrometheus.RULES_TEST.toString());
		assertThat(output).contains("SUCCESS");
	}

	@Test
	void everyAlertOfTheIssueIsThere() {
		assertThat(
				DebianPrometheus.rules().stream().filter(DebianPrometheus.Rule::alert).map(DebianPrometheus.Rule::name))
			.contains("CompressRedisDecompressSloFastBurn", "CompressRedisDecompressSloSlowBurn",
					"CompressRedisReadFailures", "CompressRedisBreakerNotClosed", "CompressRedisTargetBreakerNotClosed",
					"CompressRedisHitRatioCollapse");
	}

	@Test
	void alertExpressionsSplitIntoQueriesWithoutThresholds() {
		assertThat(DebianPrometheus.withoutThresholds("a:rate1h > (14.4 * 0.01)\nand a:rate5m > (14.4 * 0.01)"))
			.containsExactly("a:rate1h", "a:rate5m");
		assertThat(DebianPrometheus.withoutThresholds("max by (s) (m{state=~\"open|x\",b!=\"c\"}) == 1"))
			.containsExactly("max by (s) (m{state=~\"open|x\",b!=\"c\"})");
		assertThat(DebianPrometheus.withoutThresholds("r:15m < 0.5 * r:6h")).containsExactly("r:15m", "0.5 * r:6h");
	}

	private String promtool(String... arguments) throws Exception {
		Path log = this.temp.resolve("promtool.log");
		List<String> command = new ArrayList<>(List.of(DebianPrometheus.PROMTOOL.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("promtool " + String.join(" ", arguments) + " did not finish in 120 s");
		}
		String output = Files.readString(log);
		assertThat(process.exitValue()).as("promtool %s answered:%n%s", String.join(" ", arguments), output).isZero();
		return output;
	}

}
