package io.github.compressredis.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard at {@code /} in headless Chromium: loading data shows savings, the policy
 * switcher changes the policy and shows why an invalid change is refused, and a tripped
 * breaker shows in a banner. Skipped when Debian's chromium and chromium-driver are not
 * installed, except on CI ({@code CI=true}) where it fails. Screenshots go to
 * {@code target/dashboard.png} and {@code target/dashboard-narrow.png}.
 */
class DashboardPageTests extends RunningSampleApplication {

	private static final Path TARGET = Path.of("target");

	private @Nullable HeadlessChromium chromium;

	@BeforeEach
	void openBrowser() throws Exception {
		// checked per test rather than in @BeforeAll: Surefire reports a skipped test
		// with its reason,
		// but drops the reason of a skipped class
		boolean installed = Files.isExecutable(HeadlessChromium.CHROMIUM)
				&& Files.isExecutable(HeadlessChromium.CHROMEDRIVER);
		String message = "DashboardPageTests needs " + HeadlessChromium.CHROMIUM + " and "
				+ HeadlessChromium.CHROMEDRIVER + " (Debian: apt-get install chromium chromium-driver)";
		if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
			fail(message + "; CI=true, so the page test fails instead of being skipped");
		}
		assumeTrue(installed, message + "; skipping the page test");
		this.chromium = HeadlessChromium.start(1280, 2000, TARGET.resolve("chromedriver.log"));
	}

	@AfterEach
	void closeBrowser() {
		if (this.chromium != null) {
			this.chromium.close();
		}
	}

	@Test
	void bannerShowsADegradedBreakerAndTheHeadlineCountsWhatWritesGot() throws Exception {
		HeadlessChromium page = Objects.requireNonNull(this.chromium);
		page.open(url("/"));
		page.waitUntil("the page shows the policy version", () -> page.text("#policy-version").matches("\\d+"));
		assertThat(page.execute("return document.getElementById('breaker-banner').hidden").asBoolean())
			.as("no banner while the breaker is closed")
			.isTrue();
		// zstd 19 costs far over 10 times zstd 1's CPU time: the breaker degrades it to
		// zstd 1
		assertThat(postJson("/actuator/compression", "{\"algorithm\":\"zstd\",\"level\":19}").statusCode())
			.isEqualTo(200);
		try {
			page.click("#load-100");
			page.waitUntil("the banner shows the degraded breaker",
					() -> !page.execute("return document.getElementById('breaker-banner').hidden").asBoolean());
			// by CPU cost or by wall time, whichever shows first: zstd 19 is slow by both
			assertThat(page.text("#breaker-banner")).contains("Compression breaker degraded", "degraded (slow) since",
					"compressing at zstd 1");
			page.waitUntil("the load message reports 100 products",
					() -> page.text("#load-message").startsWith("Loaded 100 products"));
			page.waitUntil("the headline shows the writes at a faster level",
					() -> page.text("#recent-writes").contains("at a faster level"));
			assertThat(page.text("#recent-writes")).matches("Last 30 s: [\\d.]+% of [\\d,]+ writes stored plain, .*");
			assertThat(page.text("#average-ratio-note")).contains("smaller over every value written");
			page.screenshot(TARGET.resolve("dashboard-breaker.png"));
		}
		finally {
			postJson("/actuator/compression", "{\"algorithm\":\"zstd\",\"level\":3}");
		}
	}

	@Test
	void pageShowsSavingsAndSwitchesThePolicy() throws Exception {
		HeadlessChromium page = Objects.requireNonNull(this.chromium);
		page.open(url("/"));
		page.waitUntil("the page shows the policy version", () -> page.text("#policy-version").matches("\\d+"));
		long version = Long.parseLong(page.text("#policy-version"));
		long savedBefore = Long.parseLong(page.attribute("#bytes-saved", "data-bytes"));

		page.click("#load-100");
		page.waitUntil("the load message reports 100 products",
				() -> page.text("#load-message").startsWith("Loaded 100 products"));
		page.waitUntil("bytes saved grow beyond " + savedBefore,
				() -> Long.parseLong(page.attribute("#bytes-saved", "data-bytes")) > savedBefore);
		assertThat(page.text("#bytes-saved")).matches("[\\d.]+ (B|KiB|MiB|GiB)");
		assertThat(page.text("#write-hit-ratio")).endsWith("%");
		assertThat(page.text("#compress-latency")).matches("[\\d.]+ (µs|ms) / [\\d.]+ (µs|ms)");
		page.waitUntil("the template's row shows its policy, breaker and bytes saved",
				() -> page.text("#target-rows").contains("template:stringRedisTemplate"));
		String row = "#target-rows tr[data-target='template:stringRedisTemplate']";
		assertThat(page.text(row + " .target-policy")).matches("[a-z0-9]+ -?\\d+, v\\d+.*");
		assertThat(page.text(row + " .target-breaker")).matches("(closed|degraded|half-open|open|disabled).*");
		assertThat(Long.parseLong(page.attribute(row + " .target-saved", "data-bytes"))).isPositive();
		assertThat(page.text(row + " .target-saved")).matches("[\\d.]+ (B|KiB|MiB|GiB)");
		assertThat(page.attribute("#dashboard-link", "href")).endsWith("docs/grafana/compress-redis.json");

		page.click("#algorithm option[value='lz4']");
		page.type("#level", "0");
		page.click("#apply");
		page.waitUntil("the policy shows lz4 as version " + (version + 1),
				() -> page.text("#policy-algorithm").equals("lz4")
						&& page.text("#policy-version").equals(String.valueOf(version + 1)));
		assertThat(page.text("#policy-source")).isEqualTo("endpoint");
		assertThat(page.text("#policy-level")).isEqualTo("0");
		assertThat(page.text("#policy-message")).startsWith("Applied");
		page.waitUntil("the history lists the new version",
				() -> page.text("#history-rows").contains("algorithm zstd -> lz4")
						|| page.text("#history-rows").contains("-> lz4"));

		page.click("#algorithm option[value='gzip']");
		page.type("#level", "42");
		page.click("#apply");
		page.waitUntil("the page shows why the change was refused",
				() -> page.text("#policy-message").startsWith("Refused (400)"));
		assertThat(page.text("#policy-message")).contains("'level' 42 is out of range for gzip (0 to 9)");
		assertThat(page.text("#last-refused")).contains("'level' 42 is out of range for gzip");
		assertThat(page.text("#policy-version")).isEqualTo(String.valueOf(version + 1));

		page.screenshot(TARGET.resolve("dashboard.png"));

		page.resize(390, 3600);
		page.waitUntil("the narrow page has redrawn", () -> page.execute("return window.innerWidth").asInt() <= 400);
		assertThat(page.execute("return document.documentElement.scrollWidth <= window.innerWidth").asBoolean())
			.as("no horizontal scrolling at 390 px")
			.isTrue();
		page.awaitPaint();
		page.screenshot(TARGET.resolve("dashboard-narrow.png"));
	}

}
