package io.github.compressredis.embedded;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisServerBinaryTest {

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

}
