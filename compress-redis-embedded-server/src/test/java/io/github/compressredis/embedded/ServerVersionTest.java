package io.github.compressredis.embedded;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which {@code redis-server} runs: the embedded Redis 6.2 by default, the installed one
 * (Debian's Redis 7 in CI) when asked; each server reports the version it runs.
 */
@Timeout(60)
class ServerVersionTest {

	private final String previous = System.getProperty(RedisServerBinary.PROPERTY);

	@AfterEach
	void restoreProperty() {
		if (this.previous == null) {
			System.clearProperty(RedisServerBinary.PROPERTY);
		}
		else {
			System.setProperty(RedisServerBinary.PROPERTY, this.previous);
		}
	}

	@Test
	void theEmbeddedServerIsRedis62ByDefault() {
		System.clearProperty(RedisServerBinary.PROPERTY);
		assumeTrue(System.getenv(RedisServerBinary.ENV) == null,
				RedisServerBinary.ENV + " is set: the default binary is not the embedded one");
		try (RedisServerProcess redis = RedisServerProcess.builder().binary(RedisServerBinary.resolve()).start()) {
			assertThat(redis.version()).startsWith("6.2.");
			assertThat(redis.version()).isEqualTo(versionPrintedBy(redis.binary()));
		}
	}

	@Test
	void theInstalledServerIsChosenExplicitlyAndReportsItsVersion() {
		Path installed = requireInstalled();
		System.setProperty(RedisServerBinary.PROPERTY, RedisServerBinary.INSTALLED);
		assertThat(RedisServerBinary.resolve()).isEqualTo(installed);
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			assertThat(redis.binary()).isEqualTo(installed);
			assertThat(redis.version()).isEqualTo(versionPrintedBy(installed))
				.isEqualTo(redis.commandString("INFO", "server")
					.lines()
					.filter((line) -> line.startsWith("redis_version:"))
					.findFirst()
					.orElseThrow()
					.substring("redis_version:".length()));
			// Debian's package is Redis 7: the build's second run of the suites is on 7
			if (installed.equals(RedisServerBinary.DEBIAN_BINARY)) {
				assertThat(redis.version()).startsWith("7.");
			}
		}
	}

	@Test
	void askingForTheInstalledServerWhenThereIsNoneFailsClearly() {
		assumeTrue(RedisServerBinary.installed().isEmpty(), "a redis-server is installed here");
		System.setProperty(RedisServerBinary.PROPERTY, RedisServerBinary.INSTALLED);
		assertThatIllegalStateException().isThrownBy(RedisServerBinary::resolve)
			.withMessageContaining("apt-get install redis-server");
	}

	/**
	 * Returns the installed redis-server; without one, fails with CI=true (the build's
	 * Redis 7 runs need it: {@code .ci/run} installs it) and skips loudly otherwise.
	 */
	private static Path requireInstalled() {
		Optional<Path> installed = RedisServerBinary.installed();
		String message = "No redis-server installed (" + RedisServerBinary.DEBIAN_BINARY
				+ " nor on the PATH): the suites' Redis 7 runs are skipped (Debian: apt-get install redis-server)";
		if (installed.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
			fail(message + "; CI=true, so this fails instead of being skipped");
		}
		assumeTrue(installed.isPresent(), message);
		return installed.get();
	}

	private static String versionPrintedBy(Path binary) {
		try {
			Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
			Matcher version = Pattern.compile("v=(\\S+)").matcher(output);
			assertThat(version.find()).as(output).isTrue();
			return version.group(1);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot run " + binary + " --version", ex);
		}
	}

}
