package io.github.compressredis.core.codec;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.github.compressredis.core.internal.codec.Codec;
import io.github.compressredis.core.internal.format.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The registry that owns one codec per algorithm, and the algorithm names and ids.
 */
class CodecRegistryTests {

	private static final byte[] TEXT = "{\"name\":\"Vila\",\"country\":\"AD\"}".repeat(40)
		.getBytes(StandardCharsets.UTF_8);

	@ParameterizedTest
	@EnumSource(Algorithm.class)
	void registryReturnsOneCodecPerAlgorithmThatRoundTrips(Algorithm algorithm) {
		try (CodecRegistry registry = new CodecRegistry()) {
			Codec codec = registry.codec(algorithm);
			assertThat(codec.algorithm()).isEqualTo(algorithm);
			assertThat(registry.codec(algorithm)).isSameAs(codec);
			byte[] compressed = codec.compress(TEXT, algorithm.defaultLevel(), 7, Integer.MAX_VALUE);
			assertThat(compressed).isNotNull();
			byte[] decoded = new byte[TEXT.length];
			codec.decompress(compressed, 7, compressed.length - 7, decoded);
			assertThat(decoded).isEqualTo(TEXT);
		}
	}

	@Test
	void compressReturnsNullWhenThePayloadWouldExceedTheLimit() {
		try (CodecRegistry registry = new CodecRegistry()) {
			assertThat(registry.codec(Algorithm.ZSTD).compress(TEXT, 3, 5, 10)).isNull();
			assertThat(registry.codec(Algorithm.NONE).compress(TEXT, 0, 5, TEXT.length - 1)).isNull();
		}
	}

	@ParameterizedTest
	@EnumSource(Algorithm.class)
	void closedRegistryRefusesUse(Algorithm algorithm) {
		CodecRegistry registry = new CodecRegistry();
		registry.close();
		assertThatIllegalStateException().isThrownBy(() -> registry.codec(algorithm)).withMessageContaining("closed");
		assertThat(registry.isAvailable(algorithm)).isFalse();
	}

	@ParameterizedTest
	@EnumSource(value = Algorithm.class, names = { "ZSTD", "GZIP", "DEFLATE", "LZ4", "SNAPPY" })
	void closingReleasesThePooledWorkersOfCodecsInUse(Algorithm algorithm) {
		CodecRegistry registry = new CodecRegistry();
		Codec codec = registry.codec(algorithm);
		assertThat(codec.compress(TEXT, algorithm.defaultLevel(), 0, Integer.MAX_VALUE)).isNotNull();
		registry.close();
		// its pools are closed: a codec still held by a caller cannot borrow a worker any
		// more
		assertThatIllegalStateException()
			.isThrownBy(() -> codec.compress(TEXT, algorithm.defaultLevel(), 0, Integer.MAX_VALUE))
			.withMessageContaining("closed");
		assertThatIllegalStateException().isThrownBy(() -> registry.codec(algorithm));
	}

	@Test
	void closingTwiceIsHarmless() {
		CodecRegistry registry = new CodecRegistry();
		registry.codec(Algorithm.ZSTD);
		registry.close();
		registry.close();
		assertThat(registry.isAvailable(Algorithm.ZSTD)).isFalse();
	}

	@Test
	void snappyIsAvailableWhenSnappyJavaIsOnTheClasspath() {
		try (CodecRegistry registry = new CodecRegistry()) {
			assertThat(registry.isAvailable(Algorithm.SNAPPY)).isTrue();
		}
	}

	@Test
	void snappyIsUnavailableWithAMessageNamingTheDependencyWhenSnappyJavaIsMissing() throws Exception {
		URL classes = CodecRegistry.class.getProtectionDomain().getCodeSource().getLocation();
		try (URLClassLoader loader = new WithoutSnappy(classes, getClass().getClassLoader())) {
			Class<?> registryClass = loader.loadClass(CodecRegistry.class.getName());
			Class<?> algorithmClass = loader.loadClass(Algorithm.class.getName());
			assertThat(registryClass).isNotSameAs(CodecRegistry.class);
			Object registry = registryClass.getConstructor().newInstance();
			Object snappy = algorithmClass.getMethod("forName", String.class).invoke(null, "snappy");
			Object zstd = algorithmClass.getMethod("forName", String.class).invoke(null, "zstd");
			assertThat(registryClass.getMethod("isAvailable", algorithmClass).invoke(registry, snappy))
				.isEqualTo(false);
			assertThat(registryClass.getMethod("isAvailable", algorithmClass).invoke(registry, zstd)).isEqualTo(true);
			Throwable failure = null;
			try {
				registryClass.getMethod("codec", algorithmClass).invoke(registry, snappy);
			}
			catch (InvocationTargetException ex) {
				failure = ex.getCause();
			}
			assertThat(failure).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("org.xerial.snappy:snappy-java");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "ZSTD", " lz4 ", "stored", "None", "GZip", "deflate", "snappy\t" })
	void algorithmForNameIgnoresCaseAndSurroundingSpace(String name) {
		Algorithm algorithm = Algorithm.forName(name);
		String expected = name.trim().equalsIgnoreCase("stored") ? "none" : name.trim().toLowerCase();
		assertThat(algorithm.tag()).isEqualTo(expected);
	}

	@Test
	void algorithmForNameRejectsAnUnknownNameListingTheValidOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> Algorithm.forName("brotli"))
			.withMessageContaining("'brotli'")
			.withMessageContaining("none, zstd, lz4, gzip, deflate, snappy");
	}

	@Test
	void algorithmIdsAreUniqueAndFitTheCodecNibble() {
		for (Algorithm algorithm : Algorithm.values()) {
			assertThat(algorithm.id()).isBetween(0, 15);
			assertThat(Algorithm.forId(algorithm.id())).isSameAs(algorithm);
			assertThat(algorithm.isValidLevel(algorithm.defaultLevel())).isTrue();
			assertThat(algorithm.isValidLevel(algorithm.maxLevel() + 1)).isFalse();
			assertThat(algorithm.isValidLevel(algorithm.minLevel() - 1)).isFalse();
		}
		assertThat(Arrays.stream(Algorithm.values()).mapToInt(Algorithm::id).distinct().count())
			.isEqualTo(Algorithm.values().length);
		assertThat(Algorithm.forId(6)).isNull();
		assertThat(Algorithm.forId(-1)).isNull();
		assertThat(Algorithm.forId(16)).isNull();
		assertThat(Algorithm.NONE.id()).as("the stored codec used to escape plain values").isZero();
		assertThat(WireFormat.MAGIC_0).isEqualTo((byte) 0xC1);
	}

	/**
	 * Loads compress-redis core's own classes itself and hides snappy-java, as if it were
	 * not on the classpath; everything else comes from the parent.
	 */
	private static final class WithoutSnappy extends URLClassLoader {

		WithoutSnappy(URL classes, ClassLoader parent) {
			super(new URL[] { classes }, parent);
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			synchronized (getClassLoadingLock(name)) {
				if (name.startsWith("org.xerial.snappy.")) {
					throw new ClassNotFoundException(name);
				}
				if (name.startsWith("io.github.compressredis.core.")) {
					Class<?> loaded = findLoadedClass(name);
					if (loaded == null) {
						loaded = findClass(name);
					}
					if (resolve) {
						resolveClass(loaded);
					}
					return loaded;
				}
				return super.loadClass(name, resolve);
			}
		}

	}

}
