package io.github.compressredis.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.policy.PolicyPatch;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PolicyPipeline}: binding, the merge rule and the checks every source
 * shares.
 */
class PolicyPipelineTests {

	private static final CompressionPolicy ZSTD_9 = CompressionPolicy.builder()
		.algorithm(Algorithm.ZSTD)
		.level(9)
		.build();

	private final PolicyPipeline pipeline = new PolicyPipeline(
			new PolicyValidator((algorithm) -> algorithm != Algorithm.SNAPPY), null);

	@Test
	void sizesAcceptUnitsBareNumbersAndNumbers() {
		assertThat(this.pipeline.bind(Map.of("min-size", "2KB")).minSize()).isEqualTo(2048L);
		assertThat(this.pipeline.bind(Map.of("min-size", "192B")).minSize()).isEqualTo(192L);
		assertThat(this.pipeline.bind(Map.of("min-size", "4096")).minSize()).isEqualTo(4096L);
		assertThat(this.pipeline.bind(Map.of("min-size", 4096)).minSize()).isEqualTo(4096L);
		assertThat(this.pipeline.bind(Map.of("max-decompressed-size", "1MB")).maxDecompressedSize())
			.isEqualTo(1024L * 1024);
	}

	@Test
	void onlyTheFieldsGivenAreSet() {
		PolicyPatch patch = this.pipeline.bind(Map.of("level", "5"));
		assertThat(patch).isEqualTo(PolicyPatch.builder().level(5).build());
	}

	@Test
	void relaxedNamesBindAsInApplicationYml() {
		assertThat(this.pipeline.bind(Map.of("minSize", "1KB")).minSize()).isEqualTo(1024L);
		assertThat(this.pipeline.bind(Map.of("algorithm", "LZ4")).algorithm()).isEqualTo(Algorithm.LZ4);
	}

	@Test
	void unknownFieldIsRefusedWithTheFieldsAPolicyMaySet() {
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.bind(Map.of("algoritm", "zstd")))
			.withMessage("unknown field 'algoritm'; a policy may set algorithm, level, min-size, max-ratio, checksum, "
					+ "max-decompressed-size, rollout-percent");
	}

	@Test
	void valueThatCannotBeReadIsRefusedNamingTheFieldAndTheFix() {
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.bind(Map.of("algorithm", "brotli")))
			.withMessage("'algorithm' 'brotli' cannot be read: use one of none, zstd, lz4, gzip, deflate, snappy");
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.bind(Map.of("min-size", "4 parsecs")))
			.withMessageStartingWith("'min-size' '4 parsecs' cannot be read: use a size such as 192B");
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.bind(Map.of("level", "high")))
			.withMessage("'level' 'high' cannot be read: use a whole number");
	}

	@Test
	void otherAlgorithmWithoutLevelTakesItsDefaultLevel() {
		CompressionPolicy policy = this.pipeline.resolve(ZSTD_9,
				PolicyPatch.builder().algorithm(Algorithm.LZ4).build());
		assertThat(policy.algorithm()).isEqualTo(Algorithm.LZ4);
		assertThat(policy.level()).isEqualTo(Algorithm.LZ4.defaultLevel());
	}

	@Test
	void sameAlgorithmWithoutLevelKeepsTheBaseLevel() {
		CompressionPolicy policy = this.pipeline.resolve(ZSTD_9,
				PolicyPatch.builder().algorithm(Algorithm.ZSTD).build());
		assertThat(policy).isEqualTo(ZSTD_9);
	}

	@Test
	void unsetFieldsKeepTheBase() {
		CompressionPolicy base = ZSTD_9.toBuilder().minSize(512).checksum(false).build();
		CompressionPolicy policy = this.pipeline.resolve(base, PolicyPatch.builder().maxRatio(0.5).build());
		assertThat(policy).isEqualTo(base.toBuilder().maxRatio(0.5).build());
	}

	@Test
	void algorithmWhoseLibraryIsAbsentIsRefused() {
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.resolve(ZSTD_9, PolicyPatch.builder().algorithm(Algorithm.SNAPPY).build()))
			.withMessageContaining("'algorithm' snappy is not available here");
	}

	@Test
	void minSizeAboveMaxDecompressedSizeIsRefused() {
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.resolve(ZSTD_9,
					this.pipeline.bind(Map.of("min-size", "4096", "max-decompressed-size", "1024"))))
			.withMessageStartingWith("'max-decompressed-size' 1024 bytes is below 'min-size' 4096 bytes");
	}

	@Test
	void levelOutOfRangeIsRefused() {
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.resolve(ZSTD_9, PolicyPatch.builder().level(99).build()))
			.withMessage("'level' 99 is out of range for zstd (-22 to 22)");
	}

	@Test
	void applicationPolicyIsItsFieldsOntoTheDefaults() {
		Map<String, Object> yml = new LinkedHashMap<>();
		yml.put("compress.redis.algorithm", "lz4");
		yml.put("compress.redis.min-size", "1KB");
		yml.put("compress.redis.template.exclude", "counters");
		CompressionPolicy policy = this.pipeline.applicationPolicy(new Binder(new MapConfigurationPropertySource(yml)));
		assertThat(policy).isEqualTo(CompressionPolicy.builder().algorithm(Algorithm.LZ4).minSize(1024).build());
	}

	@Test
	void overrideWithUnknownFieldIsRefused() {
		Map<String, Object> yml = Map.of("compress.redis.cache.policies.products.levle", "5");
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.bindOverride(new Binder(new MapConfigurationPropertySource(yml)),
					"compress.redis.cache.policies.products"))
			.withMessageStartingWith("unknown field 'levle'");
	}

	@Test
	void changeRecordsARefusalOnceAndKeepsThePolicy() {
		CompressionPolicyHolder holder = new CompressionPolicyHolder(ZSTD_9);
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.change(holder, PolicySource.ENDPOINT, "test",
					(inForce) -> this.pipeline.resolve(inForce, PolicyPatch.builder().level(99).build())));
		assertThat(holder.policy()).isEqualTo(ZSTD_9);
		assertThat(holder.refusedCount()).isOne();
		assertThat(holder.lastRefused().reason()).isEqualTo("test: 'level' 99 is out of range for zstd (-22 to 22)");
	}

	@Test
	void pinnedPolicyRefusesEveryChangeNamingTheBean() {
		PolicyPipeline pinned = new PolicyPipeline(new PolicyValidator((algorithm) -> true), "myPolicy");
		CompressionPolicyHolder holder = new CompressionPolicyHolder(ZSTD_9, PolicySource.BEAN);
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> pinned.change(holder, PolicySource.NACOS, "test", (inForce) -> inForce))
			.withMessageContaining("pinned by the CompressionPolicy bean 'myPolicy'");
		assertThat(holder.refusedCount()).isOne();
	}

	@Test
	void misspeltPolicyFieldInTheApplicationsConfigurationIsRefused() {
		Map<String, Object> yml = new LinkedHashMap<>();
		yml.put("compress.redis.algoritm", "lz4");
		yml.put("compress.redis.min_size", "1KB");
		yml.put("compress.redis.template.exclude", "counters");
		yml.put("compress.redis.nacos.data-id", "policy.yaml");
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.checkApplicationFields(List.of(new MapConfigurationPropertySource(yml))))
			.withMessageStartingWith("unknown field 'algoritm' under compress.redis; check the spelling");
	}

	@Test
	void misspeltKeyInAGroupOfTheApplicationsConfigurationIsRefused() {
		Map<String, Object> yml = new LinkedHashMap<>();
		yml.put("compress.redis.template.exlude", "counters");
		yml.put("compress.redis.resilience.breaker.enabeld", "false");
		yml.put("compress.redis.cache.policies.products.level", "9");
		assertThatExceptionOfType(PolicyRefusedException.class)
			.isThrownBy(() -> this.pipeline.checkApplicationFields(List.of(new MapConfigurationPropertySource(yml))))
			.withMessageStartingWith(
					"unknown fields 'resilience.breaker.enabeld', 'template.exlude' under compress.redis");
	}

	@Test
	void everyKnownKeyOfTheApplicationsConfigurationIsAccepted() {
		Map<String, Object> yml = new LinkedHashMap<>();
		yml.put("compress.redis.algorithm", "lz4");
		yml.put("compress.redis.min-size", "1KB");
		yml.put("compress.redis.template.exclude", "counters");
		yml.put("compress.redis.cache.policies.products.level", "9");
		yml.put("compress.redis.dictionary.enabled", "true");
		yml.put("compress.redis.format.write-version", "2");
		yml.put("compress.redis.nacos.data-id", "policy.yaml");
		this.pipeline.checkApplicationFields(List.of(new MapConfigurationPropertySource(yml)));
	}

}
