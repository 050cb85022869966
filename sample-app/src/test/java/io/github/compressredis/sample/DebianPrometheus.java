package io.github.compressredis.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's {@code prometheus} package ({@code /usr/bin/prometheus},
 * {@code /usr/bin/promtool}) and the files of {@code docs/} the tests check with it: the
 * alert rules and the Grafana dashboard.
 */
final class DebianPrometheus {

	static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

	static final Path PROMTOOL = Path.of("/usr/bin/promtool");

	/**
	 * The repository's docs directory; tests run in the sample-app module's directory.
	 */
	static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();

	static final Path RULES = DOCS.resolve("prometheus/compress-redis-rules.yml");

	static final Path RULES_TEST = DOCS.resolve("prometheus/compress-redis-rules.test.yml");

	static final Path DASHBOARD = DOCS.resolve("grafana/compress-redis.json");

	private DebianPrometheus() {
	}

	/**
	 * Skip the calling test when the package is not installed, or fail it on CI
	 * ({@code CI=true}), where {@code .ci/run} installs it.
	 * @param test the test's name, for the message
	 * @param binary the program it needs
	 */
	static void assumeInstalled(String test, Path binary) {
		boolean installed = Files.isExecutable(binary);
		String message = test + " needs " + binary + " (Debian: apt-get install prometheus)";
		if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
			fail(message + "; CI=true, so it fails instead of being skipped");
		}
		assumeTrue(installed, message + "; skipping");
	}

	/**
	 * Every rule of the rules file, as {@code record} or {@code alert} name to its
	 * expression.
	 * @return the rules in file order
	 */
	@SuppressWarnings("unchecked")
	static List<Rule> rules() {
		Map<String, Object> file;
		try {
			file = new Yaml().load(Files.readString(RULES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Rule> rules = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				boolean alert = rule.containsKey("alert");
				rules.add(new Rule((String) rule.get(alert ? "alert" : "record"), alert,
						((String) rule.get("expr")).trim()));
			}
		}
		return rules;
	}

	/**
	 * The queries an alert's expression is made of, each without its threshold
	 * comparison: {@code a > 0.1 and b > 0.1} gives {@code a} and {@code b};
	 * {@code a < 0.5 * b} gives {@code a} and {@code 0.5 * b} (a threshold that is itself
	 * a query is run too).
	 * @param expression the alert's expression
	 * @return the queries
	 */
	static List<String> withoutThresholds(String expression) {
		List<String> queries = new ArrayList<>();
		for (String condition : splitTopLevel(expression.replaceAll("\\s+", " "), " and ")) {
			int comparison = topLevelComparison(condition);
			if (comparison < 0) {
				queries.add(condition.trim());
				continue;
			}
			queries.add(condition.substring(0, comparison).trim());
			String threshold = condition.substring(comparison).replaceFirst("^(==|!=|>=|<=|>|<)", "").trim();
			if (threshold.matches(".*[a-z_].*")) {
				queries.add(threshold);
			}
		}
		return queries;
	}

	private static List<String> splitTopLevel(String expression, String separator) {
		List<String> parts = new ArrayList<>();
		int start = 0;
		for (int at = topLevel(expression, 0, (i) -> expression.startsWith(separator, i)); at >= 0; at = topLevel(
				expression, start, (i) -> expression.startsWith(separator, i))) {
			parts.add(expression.substring(start, at));
			start = at + separator.length();
		}
		parts.add(expression.substring(start));
		return parts;
	}

	private static int topLevelComparison(String condition) {
		return topLevel(condition, 0, (i) -> condition.charAt(i) == '>' || condition.charAt(i) == '<'
				|| condition.startsWith("==", i) || condition.startsWith("!=", i));
	}

	/**
	 * The first index from {@code from} outside any brackets (label matchers, ranges,
	 * calls) where {@code matches} holds, or -1.
	 */
	private static int topLevel(String text, int from, IntPredicate matches) {
		int depth = 0;
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '(' || c == '{' || c == '[') {
				depth++;
			}
			else if (c == ')' || c == '}' || c == ']') {
				depth--;
			}
			else if (depth == 0 && matches.test(i)) {
				return i;
			}
		}
		return -1;
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One rule of the rules file.
	 *
	 * @param name the alert's or the recorded series' name
	 * @param alert whether it is an alerting rule
	 * @param expression its PromQL expression
	 */
	record Rule(String name, boolean alert, String expression) {
	}

}
