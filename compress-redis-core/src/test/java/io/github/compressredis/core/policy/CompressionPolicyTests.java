package io.github.compressredis.core.policy;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.format.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The policy builder's validation, defaults and change descriptions.
 */
class CompressionPolicyTests {

	@ParameterizedTest
	@CsvSource({ "ZSTD, 23, -22 to 22", "ZSTD, -23, -22 to 22", "LZ4, 18, 0 to 17", "LZ4, -1, 0 to 17",
			"GZIP, 10, 0 to 9", "DEFLATE, 10, 0 to 9", "SNAPPY, 1, 0 to 0", "NONE, 1, 0 to 0" })
	void builderRefusesALevelOutOfTheAlgorithmsRangeNamingTheField(Algorithm algorithm, int level, String range) {
		CompressionPolicy.Builder builder = CompressionPolicy.builder().algorithm(algorithm).level(level);
		assertThatIllegalArgumentException().isThrownBy(builder::build)
			.withMessageContaining("'level'")
			.withMessageContaining(String.valueOf(level))
			.withMessageContaining(algorithm.tag())
			.withMessageContaining(range);
	}

	@ParameterizedTest
	@ValueSource(longs = { -1, Integer.MIN_VALUE, WireFormat.MAX_ORIGINAL_LENGTH + 1L })
	void builderRefusesAMinSizeOutOfRangeNamingTheField(long minSize) {
		assertThatIllegalArgumentException().isThrownBy(() -> CompressionPolicy.builder().minSize(minSize))
			.withMessageContaining("'min-size'")
			.withMessageContaining("was " + minSize);
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.0, 1.5, -0.1, 1.0000001, Double.NaN, Double.POSITIVE_INFINITY })
	void builderRefusesAMaxRatioOutsideZeroToOneNamingTheField(double maxRatio) {
		assertThatIllegalArgumentException().isThrownBy(() -> CompressionPolicy.builder().maxRatio(maxRatio))
			.withMessageContaining("'max-ratio'")
			.withMessageContaining("was " + maxRatio);
	}

	@ParameterizedTest
	@ValueSource(longs = { 0, -1, WireFormat.MAX_ORIGINAL_LENGTH + 1L })
	void builderRefusesAMaxDecompressedSizeOutOfRangeNamingTheField(long size) {
		assertThatIllegalArgumentException().isThrownBy(() -> CompressionPolicy.builder().maxDecompressedSize(size))
			.withMessageContaining("'max-decompressed-size'")
			.withMessageContaining("was " + size);
	}

	@Test
	void builderAcceptsTheEdgesOfEachRange() {
		CompressionPolicy policy = CompressionPolicy.builder()
			.algorithm(Algorithm.ZSTD)
			.level(22)
			.minSize(0)
			.maxRatio(1.0)
			.maxDecompressedSize(1)
			.build();
		assertThat(policy.level()).isEqualTo(22);
		assertThat(policy.minSize()).isZero();
		assertThat(policy.maxRatio()).isEqualTo(1.0);
		assertThat(policy.maxDecompressedSize()).isOne();
		assertThat(CompressionPolicy.builder().algorithm(Algorithm.ZSTD).level(-22).build().level()).isEqualTo(-22);
		assertThat(CompressionPolicy.builder().maxRatio(Double.MIN_VALUE).build().maxRatio())
			.isEqualTo(Double.MIN_VALUE);
		assertThat(CompressionPolicy.builder()
			.maxDecompressedSize(WireFormat.MAX_ORIGINAL_LENGTH)
			.minSize(WireFormat.MAX_ORIGINAL_LENGTH)
			.build()
			.maxDecompressedSize()).isEqualTo(WireFormat.MAX_ORIGINAL_LENGTH);
	}

	@ParameterizedTest
	@CsvSource({ "NONE, 0", "ZSTD, 3", "LZ4, 0", "GZIP, 6", "DEFLATE, 6", "SNAPPY, 0" })
	void levelDefaultsToTheAlgorithmsDefaultLevel(Algorithm algorithm, int level) {
		assertThat(algorithm.defaultLevel()).isEqualTo(level);
		assertThat(CompressionPolicy.builder().algorithm(algorithm).build().level()).isEqualTo(level);
		assertThat(CompressionPolicy.builder().algorithm(algorithm).level(null).build().level()).isEqualTo(level);
	}

	@Test
	void defaultsAreZstdLevelThreeWithAChecksumAndTheDocumentedThresholds() {
		CompressionPolicy defaults = CompressionPolicy.defaults();
		assertThat(defaults.algorithm()).isEqualTo(Algorithm.ZSTD);
		assertThat(defaults.level()).isEqualTo(3);
		assertThat(defaults.checksum()).isTrue();
		assertThat(defaults.minSize()).isEqualTo(CompressionPolicy.DEFAULT_MIN_SIZE);
		assertThat(defaults.maxRatio()).isEqualTo(CompressionPolicy.DEFAULT_MAX_RATIO);
		assertThat(defaults.maxDecompressedSize()).isEqualTo(64 * 1024 * 1024);
		assertThat(CompressionPolicy.builder().build()).isEqualTo(defaults).hasSameHashCodeAs(defaults);
	}

	@Test
	void toBuilderCopiesEveryField() {
		CompressionPolicy policy = CompressionPolicy.builder()
			.algorithm(Algorithm.GZIP)
			.level(9)
			.minSize(10)
			.maxRatio(0.5)
			.checksum(false)
			.maxDecompressedSize(1000)
			.build();
		assertThat(policy.toBuilder().build()).isEqualTo(policy).hasSameHashCodeAs(policy);
		assertThat(policy.toBuilder().checksum(true).build()).isNotEqualTo(policy);
	}

	@Test
	void describeChangesFromListsEveryChangedFieldAndOnlyThose() {
		CompressionPolicy before = CompressionPolicy.builder().algorithm(Algorithm.LZ4).build();
		CompressionPolicy after = before.toBuilder()
			.algorithm(Algorithm.ZSTD)
			.level(3)
			.minSize(1000)
			.maxRatio(0.5)
			.checksum(false)
			.maxDecompressedSize(2048)
			.build();
		assertThat(after.describeChangesFrom(before)).isEqualTo("algorithm lz4 -> zstd, level 0 -> 3, min-size "
				+ before.minSize() + " -> 1000, max-ratio 0.9 -> 0.5, checksum true -> false, "
				+ "max-decompressed-size 67108864 -> 2048");
		assertThat(before.toBuilder().level(5).build().describeChangesFrom(before)).isEqualTo("level 0 -> 5");
		assertThat(before.describeChangesFrom(before.toBuilder().build())).isEqualTo("no change");
		assertThat(before.describeChangesFrom(null)).startsWith("initial policy ").contains("algorithm=lz4");
	}

	@Test
	void policiesDifferingInAnyFieldAreNotEqual() {
		CompressionPolicy base = CompressionPolicy.defaults();
		assertThat(base.toBuilder().algorithm(Algorithm.LZ4).level(3).build()).isNotEqualTo(base);
		assertThat(base.toBuilder().level(4).build()).isNotEqualTo(base);
		assertThat(base.toBuilder().minSize(base.minSize() + 1).build()).isNotEqualTo(base);
		assertThat(base.toBuilder().maxRatio(0.8).build()).isNotEqualTo(base);
		assertThat(base.toBuilder().checksum(false).build()).isNotEqualTo(base);
		assertThat(base.toBuilder().maxDecompressedSize(1).build()).isNotEqualTo(base);
	}

	@ParameterizedTest
	@EnumSource(Algorithm.class)
	void everyAlgorithmBuildsAtEveryLevelOfItsRange(Algorithm algorithm) {
		for (int level = algorithm.minLevel(); level <= algorithm.maxLevel(); level++) {
			assertThat(CompressionPolicy.builder().algorithm(algorithm).level(level).build().level()).isEqualTo(level);
		}
	}

}
