package io.github.compressredis.autoconfigure.nacos;

import io.github.compressredis.autoconfigure.PolicyPipeline;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.policy.PolicyVersion;
import io.github.compressredis.core.policy.RefusedChange;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad content published to Nacos is refused as a whole: the policy in force stays, the
 * refusal is recorded with its reason and counted, and a warning names the data ID, the
 * group and the reason without the content.
 */
@ExtendWith(OutputCaptureExtension.class)
class NacosPolicyRefusalTests {

	private static final String GROUP = "DEFAULT_GROUP";

	// in every bad content, so that the log can be checked for it
	private static final String MARKER = "# owner: payload-marker-91c2\n";

	@AutoClose
	private final InProcessConfigService nacos = new InProcessConfigService();

	private final ApplicationContextRunner contextRunner = this.nacos.contextRunner();

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			textBlock = """
					unknown algorithm            | compress-redis.yaml       | algorithm: brotli                        | 'algorithm' 'brotli' cannot be read: use one of none, zstd, lz4, gzip, deflate, snappy
					level out of range           | compress-redis.yaml       | algorithm: zstd\\nlevel: 30              | 'level' 30 is out of range for zstd (-22 to 22)
					level out of range for lz4   | compress-redis.yaml       | algorithm: lz4\\nlevel: 18               | 'level' 18 is out of range for lz4 (0 to 17)
					level not a number           | compress-redis.yaml       | level: fast                              | 'level' 'fast' cannot be read: use a whole number
					negative min-size            | compress-redis.yaml       | min-size: -1                             | 'min-size' must be between 0 and
					min-size beyond Redis        | compress-redis.yaml       | min-size: 600MB                          | larger than Redis's largest value (512MB)
					negative max-decompressed    | compress-redis.yaml       | max-decompressed-size: -64MB             | 'max-decompressed-size' must be between 1 byte and
					absurd max-decompressed      | compress-redis.yaml       | max-decompressed-size: 4GB               | 'max-decompressed-size' must be between 1 byte and
					max-decompressed below min   | compress-redis.yaml       | max-decompressed-size: 64                | 'max-decompressed-size' 64 bytes is below 'min-size' 192 bytes
					size without a valid unit    | compress-redis.yaml       | min-size: 12 parsecs                     | 'min-size' '12 parsecs' cannot be read: use a size such as 192B, 2KB or 1MB, or a number of bytes
					max-ratio out of range       | compress-redis.yaml       | max-ratio: 1.5                           | 'max-ratio' must be above 0 and at most 1
					checksum not a boolean       | compress-redis.yaml       | checksum: sometimes                      | 'checksum' 'sometimes' cannot be read: use true or false
					rollout-percent of zero      | compress-redis.yaml       | algorithm: gzip\\nrollout-percent: 0     | 'rollout-percent' must be between 1 and 100, was 0
					misspelt key                 | compress-redis.yaml       | compress.redis.algoritm: gzip            | unknown field 'algoritm'; a policy may set algorithm, level
					startup-only key             | compress-redis.yaml       | compress.redis.template.enabled: false   | unknown field 'template.enabled'
					empty value                  | compress-redis.yaml       | level:                                   | 'level' has no value; remove the key to keep the application's value
					list value                   | compress-redis.yaml       | algorithm: [lz4, gzip]                   | 'algorithm' must be a single value, not a list or a map
					YAML that does not parse     | compress-redis.yaml       | algorithm: gzip\\n  level: : 3           | content does not parse as YAML
					YAML that is not a map       | compress-redis.yaml       | just a sentence                          | content is not a map of keys to values
					two YAML documents           | compress-redis.yaml       | algorithm: gzip\\n---\\nalgorithm: lz4     | content holds 2 YAML documents; put the policy in one
					JSON that does not parse     | compress-redis.json       | {"algorithm": "gzip" "level": 3}         | content does not parse as JSON
					JSON that is not an object   | compress-redis.json       | ["gzip"]                                 | content of a .json data ID must be a JSON object
					properties that do not parse | compress-redis.properties | algorithm=gzip\\nlevel=\\u00zz          | content does not parse as properties
					""")
	void badContentIsRefusedAndThePolicyInForceStays(String kind, String dataId, String content, String reason,
			CapturedOutput output) {
		this.contextRunner.withPropertyValues("compress.redis.nacos.data-id=" + dataId).run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			long accepted = System.nanoTime();
			this.nacos.publishConfig(dataId, GROUP, good(dataId));
			PolicyWait.until("good content in force", accepted, () -> holder.policy().algorithm() == Algorithm.LZ4);
			PolicyVersion before = holder.current();
			int logged = output.length();
			long published = System.nanoTime();
			String bad = (dataId.endsWith(".yaml") ? MARKER : "") + content.replace("\\n", "\n");
			this.nacos.publishConfig(dataId, GROUP, bad);
			PolicyWait.until("refusal", published, () -> holder.refusedCount() == 1);
			assertThat(holder.current()).isSameAs(before);
			RefusedChange refused = holder.lastRefused();
			assertThat(refused).isNotNull();
			assertThat(refused.source()).isEqualTo(PolicySource.NACOS);
			assertThat(refused.reason()).startsWith("Nacos dataId '" + dataId + "', group 'DEFAULT_GROUP': ")
				.contains(reason);
			assertThat(output.toString().substring(logged)).contains("WARN")
				.contains(
						"Refused the compress-redis policy from Nacos dataId '" + dataId + "', group 'DEFAULT_GROUP': ")
				.contains(reason)
				.contains("The policy in force stays: version 2 (nacos)")
				.doesNotContain("payload-marker-91c2");
		});
	}

	private static String good(String dataId) {
		if (dataId.endsWith(".json")) {
			return "{\"algorithm\": \"lz4\", \"level\": 3}";
		}
		return dataId.endsWith(".properties") ? "algorithm=lz4\nlevel=3\n" : "algorithm: lz4\nlevel: 3\n";
	}

	@Test
	void badContentAtStartupIsRefusedAndTheApplicationStarts(CapturedOutput output) throws Exception {
		this.nacos.publishConfig("compress-redis.yaml", GROUP, "algorithm: zstd\nlevel: 99\n");
		this.contextRunner.withPropertyValues("compress.redis.algorithm=gzip").run((context) -> {
			assertThat(context).hasNotFailed();
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.GZIP);
			assertThat(holder.current().source()).isEqualTo(PolicySource.PROPERTIES);
			assertThat(holder.refusedCount()).isOne();
			assertThat(holder.lastRefused().reason()).endsWith("'level' 99 is out of range for zstd (-22 to 22)");
			assertThat(output).contains("The policy in force stays: version 1 (yml)");
		});
	}

	@Test
	void unavailableAlgorithmIsRefused() {
		CompressionPolicyHolder holder = new CompressionPolicyHolder(CompressionPolicy.defaults(),
				PolicySource.PROPERTIES);
		NacosPolicyUpdater updater = new NacosPolicyUpdater(holder, new MockEnvironment(),
				new PolicyPipeline(new PolicyValidator((algorithm) -> algorithm != Algorithm.SNAPPY), null));
		assertThat(updater.applyContent("compress-redis.yaml", GROUP, "algorithm: snappy")).isFalse();
		assertThat(holder.current().version()).isOne();
		assertThat(holder.lastRefused().reason()).contains("'algorithm' snappy is not available here");
		assertThat(updater.applyContent("compress-redis.yaml", GROUP, "algorithm: lz4")).isTrue();
		assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.LZ4);
	}

}
