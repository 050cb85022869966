package io.github.compressredis.embedded;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which {@code redis-server} runs: the embedded Redis 6.2 by default, an explicit one, or
 * the installed one (Debian's Redis 7 in CI) when asked; each server reports the version
 * it runs.
 */
@Timeout(60)
class RedisServerBinaryTests {

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
	void resolvesAnExecutableBinaryWithoutConfiguration() {
		System.clearProperty(RedisServerBinary.PROPERTY);
		Path binary = RedisServerBinary.resolve();
		assertThat(binary).isRegularFile().isExecutable();
		assertThat(RedisServerBinary.resolve()).isEqualTo(binary);
	}

	@Test
	void anExplicitPathThatDoesNotExistFailsClearly(@TempDir Path dir) {
		Path missing = dir.resolve("no-such-redis-server");
		System.setProperty(RedisServerBinary.PROPERTY, missing.toString());
		assertThatIllegalStateException().isThrownBy(RedisServerBinary::resolve)
			.withMessageContaining(missing.toString())
			.withMessageContaining("does not exist")
			.withMessageContaining(RedisServerBinary.PROPERTY);
	}

	@Test
	void anExplicitPathThatIsNotExecutableFailsClearly(@TempDir Path dir) throws Exception {
		Path plain = Files.writeString(dir.resolve("redis-server"), "not a program");
		System.setProperty(RedisServerBinary.PROPERTY, plain.toString());
		assertThatIllegalStateException().isThrownBy(RedisServerBinary::resolve)
			.withMessageContaining("not executable")
			.withMessageContaining("chmod +x");
	}

	@Test
	void anExplicitExecutableIsUsedAsIs(@TempDir Path dir) throws Exception {
		Path script = Files.writeString(dir.resolve("my-redis-server"), "#!/bin/sh\n");
		assertThat(script.toFile().setExecutable(true)).isTrue();
		System.setProperty(RedisServerBinary.PROPERTY, script.toString());
		assertThat(RedisServerBinary.resolve()).isEqualTo(script.toAbsolutePath());
	}

	@Test
	void eachSupportedPlatformMapsToAResourceOfEmbeddedRedis() {
		assertThat(RedisServerBinary.resourceName("Linux", "amd64")).isEqualTo("redis-server-6.2.6-v5-linux-amd64");
		assertThat(RedisServerBinary.resourceName("Linux", "aarch64")).isEqualTo("redis-server-6.2.7-linux-arm64");
		assertThat(RedisServerBinary.resourceName("Linux", "i386")).isEqualTo("redis-server-6.2.7-linux-386");
		assertThat(RedisServerBinary.resourceName("Mac OS X", "x86_64"))
			.isEqualTo("redis-server-6.2.6-v5-darwin-amd64");
		assertThat(RedisServerBinary.resourceName("Mac OS X", "aarch64"))
			.isEqualTo("redis-server-6.2.6-v5-darwin-arm64");
		assertThat(RedisServerBinary.resourceName("Windows 11", "amd64")).isNull();
		for (String resource : new String[] { "redis-server-6.2.6-v5-linux-amd64", "redis-server-6.2.7-linux-arm64",
				"redis-server-6.2.7-linux-386", "redis-server-6.2.6-v5-darwin-amd64",
				"redis-server-6.2.6-v5-darwin-arm64" }) {
			assertThat(getClass().getClassLoader().getResource(resource)).as(resource).isNotNull();
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
	void aClusterRunsTheBinaryItIsGiven() {
		Path installed = requireInstalled();
		System.clearProperty(RedisServerBinary.PROPERTY);
		try (RedisClusterProcess cluster = RedisClusterProcess.start(3, installed)) {
			assertThat(cluster.servers()).allSatisfy((server) -> {
				assertThat(server.binary()).isEqualTo(installed);
				assertThat(server.version()).isEqualTo(versionPrintedBy(installed));
			});
		}
	}

	@Test
	void theInstalledServerIsDebiansElseTheFirstOnThePath(@TempDir Path dir) throws Exception {
		Path debian = executable(dir.resolve("usr/bin/redis-server"));
		Path onPath = executable(dir.resolve("local/bin/redis-server"));
		Path missing = dir.resolve("nowhere/redis-server");
		String path = dir.resolve("empty") + File.pathSeparator + onPath.getParent();
		assertThat(RedisServerBinary.installed(debian, path)).contains(debian);
		assertThat(RedisServerBinary.installed(missing, path)).contains(onPath);
		assertThat(RedisServerBinary.installed(missing, dir.resolve("empty").toString())).isEmpty();
		assertThat(RedisServerBinary.installed(missing, null)).isEmpty();
	}

	@Test
	void askingForTheInstalledServerWhenThereIsNoneFailsClearly() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisServerBinary.requireInstalled("system property 'x'", Optional.empty()))
			.withMessageContaining("system property 'x' asks for the installed redis-server")
			.withMessageContaining("apt-get install redis-server");
	}

	private static Path executable(Path file) throws Exception {
		Files.createDirectories(file.getParent());
		Files.writeString(file, "#!/bin/sh\n");
		assertThat(file.toFile().setExecutable(true)).isTrue();
		return file;
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
