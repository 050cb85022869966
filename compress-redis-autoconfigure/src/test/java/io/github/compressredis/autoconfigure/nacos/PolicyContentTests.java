package io.github.compressredis.autoconfigure.nacos;

import io.github.compressredis.autoconfigure.PolicyPipeline;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

/**
 * Parsing a Nacos content into policy keys: the formats, the key forms, and applying it
 * as a whole on top of the application's policy.
 */
class PolicyContentTests {

	private static final CompressionPolicy YML = CompressionPolicy.builder()
		.algorithm(Algorithm.ZSTD)
		.level(5)
		.minSize(10)
		.maxRatio(0.8)
		.build();

	private static final PolicyPipeline PIPELINE = new PolicyPipeline(new PolicyValidator((algorithm) -> true), null);

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
		CompressionPolicy policy = apply(parsed);
		assertThat(policy.algorithm()).isEqualTo(Algorithm.LZ4);
		assertThat(policy.minSize()).isEqualTo(1024);
	}

	@Test
	void keysAbsentFromTheContentKeepTheApplicationValues() {
		CompressionPolicy policy = apply(PolicyContent.parse("compress-redis.yaml", "level: 9"));
		assertThat(policy).isEqualTo(YML.toBuilder().level(9).build());
	}

	@Test
	void newAlgorithmWithoutLevelTakesItsDefaultLevel() {
		CompressionPolicy policy = apply(PolicyContent.parse("compress-redis.yaml", "algorithm: gzip"));
		assertThat(policy.level()).isEqualTo(Algorithm.GZIP.defaultLevel());
		assertThat(policy.minSize()).isEqualTo(10);
	}

	@Test
	void sameAlgorithmWithoutLevelKeepsTheApplicationLevel() {
		CompressionPolicy policy = apply(PolicyContent.parse("compress-redis.yaml", "algorithm: ZSTD"));
		assertThat(policy).isEqualTo(YML);
	}

	@Test
	void rolloutPercentIsCarriedFromTheContent() {
		CompressionPolicy policy = apply(
				PolicyContent.parse("compress-redis.yaml", "algorithm: lz4\nrollout-percent: 25"));
		assertThat(policy.rolloutPercent()).isEqualTo(25);
	}

	@Test
	void emptyOrMissingContentHoldsNoKey() {
		assertThat(PolicyContent.parse("compress-redis.yaml", null).isEmpty()).isTrue();
		assertThat(PolicyContent.parse("compress-redis.yaml", " \n").isEmpty()).isTrue();
		assertThat(PolicyContent.parse("compress-redis.yaml", "# nothing yet\n").isEmpty()).isTrue();
		assertThat(apply(PolicyContent.empty())).isEqualTo(YML);
	}

	@Test
	void keySetTwiceIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> PolicyContent.parse("compress-redis.yaml", "algorithm: lz4\ncompress.redis.algorithm: gzip"))
			.withMessage("'algorithm' is set twice, as 'algorithm' and 'compress.redis.algorithm'");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					algorithm: brotli  | 'algorithm' 'brotli' cannot be read: use one of none, zstd, lz4, gzip, deflate, snappy
					max-ratio: lots    | 'max-ratio' 'lots' cannot be read: use a number such as 0.9
					checksum: maybe    | 'checksum' 'maybe' cannot be read: use true or false
					min-size: 1.5MB    | 'min-size' '1.5MB' cannot be read: use a size such as 192B, 2KB or 1MB, or a number of bytes
					""")
	void everyInvalidValueIsNamed(String content, String reason) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> apply(PolicyContent.parse("compress-redis.yaml", content)))
			.withMessage(reason);
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

	private static CompressionPolicy apply(PolicyContent content) {
		return PIPELINE.resolve(YML, PIPELINE.bind(content.values()));
	}

}
