package io.github.compressredis.autoconfigure.nacos;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

/**
 * Parsing a Nacos content into policy keys: the formats, the key forms, and applying it as a
 * whole on top of the application's policy.
 */
class PolicyContentTests {

	private static final CompressionPolicy YML = CompressionPolicy.builder()
		.algorithm(Algorithm.ZSTD)
		.level(5)
		.minSize(10)
		.maxRatio(0.8)
		.build();

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			compress-redis.yaml       | 'compress:\\n  redis:\\n    algorithm: lz4\\n    min-size: 1KB'
			compress-redis.yml        | 'compress.redis.algorithm: lz4\\ncompress.redis.min-size: 1KB'
			compress-redis.yaml       | '# bare keys\\nalgorithm: lz4\\nmin-size: 1KB'
			compress-redis.properties | 'compress.redis.algorithm=lz4\\ncompress.redis.min-size=1KB'
			compress-redis.properties | 'algorithm = lz4\\nminSize = 1KB'
			compress-redis.json       | '{"compress": {"redis": {"algorithm": "lz4", "min-size": "1KB"}}}'
			compress-redis.json       | '{"algorithm": "lz4", "min_size": "1KB"}'
			compress-redis            | 'algorithm=lz4\\nmin-size=1KB'
			compress-redis            | 'compress:\\n  redis:\\n    algorithm: lz4\\n    min-size: 1KB'
			compress-redis.txt        | '  {"compress.redis.algorithm": "lz4", "minSize": "1KB"}'
			""")
	void everyFormatAndKeyFormReadsTheSamePolicy(String dataId, String content) {
		PolicyContent parsed = PolicyContent.parse(dataId, content.replace("\\n", "\n"));
		assertThat(parsed.values()).containsOnly(entry("algorithm", "lz4"), entry("min-size", "1KB"));
		CompressionPolicy policy = parsed.applyTo(YML);
		assertThat(policy.algorithm()).isEqualTo(Algorithm.LZ4);
		assertThat(policy.minSize()).isEqualTo(1024);
	}

	@Test
	void keysAbsentFromTheContentKeepTheApplicationValues() {
		CompressionPolicy policy = PolicyContent.parse("compress-redis.yaml", "level: 9").applyTo(YML);
		assertThat(policy).isEqualTo(YML.toBuilder().level(9).build());
	}

	@Test
	void newAlgorithmWithoutLevelTakesItsDefaultLevel() {
		CompressionPolicy policy = PolicyContent.parse("compress-redis.yaml", "algorithm: gzip").applyTo(YML);
		assertThat(policy.level()).isEqualTo(Algorithm.GZIP.defaultLevel());
		assertThat(policy.minSize()).isEqualTo(10);
	}

	@Test
	void sameAlgorithmWithoutLevelKeepsTheApplicationLevel() {
		CompressionPolicy policy = PolicyContent.parse("compress-redis.yaml", "algorithm: ZSTD").applyTo(YML);
		assertThat(policy).isEqualTo(YML);
	}

	@Test
	void rolloutPercentIsCarriedFromTheContent() {
		CompressionPolicy policy = PolicyContent.parse("compress-redis.yaml", "algorithm: lz4\nrollout-percent: 25")
			.applyTo(YML);
		assertThat(policy.rolloutPercent()).isEqualTo(25);
	}

	@Test
	void emptyOrMissingContentHoldsNoKey() {
		assertThat(PolicyContent.parse("compress-redis.yaml", null).isEmpty()).isTrue();
		assertThat(PolicyContent.parse("compress-redis.yaml", " \n").isEmpty()).isTrue();
		assertThat(PolicyContent.parse("compress-redis.yaml", "# nothing yet\n").isEmpty()).isTrue();
		assertThat(PolicyContent.empty().applyTo(YML)).isEqualTo(YML);
	}

	@Test
	void keySetTwiceIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PolicyContent.parse("compress-redis.yaml", "algorithm: lz4\ncompress.redis.algorithm: gzip"))
			.withMessage("'algorithm' is set twice, as 'algorithm' and 'compress.redis.algorithm'");
	}

	@Test
	void everyInvalidValueIsNamed() {
		PolicyContent content = PolicyContent.parse("compress-redis.yaml",
				"algorithm: brotli\nmax-ratio: lots\nchecksum: maybe\nmin-size: 1.5MB");
		assertThatIllegalArgumentException().isThrownBy(() -> content.applyTo(YML))
			.withMessageContaining("unknown 'algorithm' 'brotli'; use one of none, zstd, lz4, gzip, deflate, snappy")
			.withMessageContaining("'max-ratio' must be a number such as 0.9, was 'lots'")
			.withMessageContaining("'checksum' must be true or false, was 'maybe'")
			.withMessageContaining("'min-size' must be a size such as 512B, 64KB or 1MB, was '1.5MB'");
	}

	@Test
	void contentLongerThanAnyPolicyIsRefusedBeforeParsing() {
		String content = "# " + "x".repeat(PolicyContent.MAX_LENGTH) + "\nalgorithm: lz4";
		assertThatIllegalArgumentException().isThrownBy(() -> PolicyContent.parse("compress-redis.yaml", content))
			.withMessageContaining("more than the 65536 a policy may take");
	}

	@Test
	void parseErrorNamesTheLineButQuotesNoContent() {
		String content = "algorithm: lz4\nlevel: [3\n# secret-marker-7f3a";
		assertThatIllegalArgumentException().isThrownBy(() -> PolicyContent.parse("compress-redis.yaml", content))
			.withMessageStartingWith("content does not parse as YAML: ")
			.withMessageContaining("line 3")
			.withMessageNotContaining("secret-marker-7f3a")
			.withMessageNotContaining("level: [3");
	}

}
