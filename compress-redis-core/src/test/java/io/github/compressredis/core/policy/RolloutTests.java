package io.github.compressredis.core.policy;

import io.github.compressredis.core.codec.Algorithm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Gradual rollout: a policy with {@code rollout-percent} applies to that share of writes
 * while the others keep the last fully rolled-out policy.
 */
class RolloutTests {

	private static final int DRAWS = 100_000;

	private final CompressionPolicy zstd = CompressionPolicy.builder().algorithm(Algorithm.ZSTD).build();

	@Test
	void partialRolloutAppliesToItsShareOfWritesWithinStatisticalBounds() {
		CompressionPolicyHolder holder = new CompressionPolicyHolder(this.zstd);
		CompressionPolicy lz4 = CompressionPolicy.builder().algorithm(Algorithm.LZ4).rolloutPercent(25).build();
		holder.update(lz4, PolicySource.API);

		int lz4Writes = 0;
		for (int i = 0; i < DRAWS; i++) {
			CompressionPolicy chosen = holder.policyForWrite();
			assertThat(chosen).isIn(lz4, this.zstd);
			if (chosen == lz4) {
				lz4Writes++;
			}
		}
		// binomial(100000, 0.25): standard deviation 137; 6 sigma is about 820
		assertThat(lz4Writes).isBetween(25_000 - 820, 25_000 + 820);
		assertThat(holder.current().baseline()).isEqualTo(this.zstd);
	}

	@Test
	void aSecondPartialRolloutKeepsTheLastFullyRolledOutPolicyAsBaseline() {
		CompressionPolicyHolder holder = new CompressionPolicyHolder(this.zstd);
		holder.update(CompressionPolicy.builder().algorithm(Algorithm.LZ4).rolloutPercent(10).build(),
				PolicySource.API);
		CompressionPolicy gzip = CompressionPolicy.builder().algorithm(Algorithm.GZIP).rolloutPercent(50).build();
		holder.update(gzip, PolicySource.API);

		assertThat(holder.current().baseline()).isEqualTo(this.zstd);
		for (int i = 0; i < 1000; i++) {
			assertThat(holder.policyForWrite().algorithm()).isIn(Algorithm.GZIP, Algorithm.ZSTD);
		}
	}

	@Test
	void completingTheRolloutAppliesThePolicyToEveryWrite() {
		CompressionPolicyHolder holder = new CompressionPolicyHolder(this.zstd);
		holder.update(CompressionPolicy.builder().algorithm(Algorithm.LZ4).rolloutPercent(10).build(),
				PolicySource.API);
		CompressionPolicy full = CompressionPolicy.builder().algorithm(Algorithm.LZ4).build();
		holder.update(full, PolicySource.API);

		assertThat(holder.current().baseline()).isNull();
		for (int i = 0; i < 1000; i++) {
			assertThat(holder.policyForWrite()).isEqualTo(full);
		}
		assertThat(holder.current().changes()).isEqualTo("rollout-percent 10 -> 100");
	}

	@Test
	void rolloutPercentOutsideOneToHundredIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> CompressionPolicy.builder().rolloutPercent(0))
			.withMessageContaining("'rollout-percent'");
		assertThatIllegalArgumentException().isThrownBy(() -> CompressionPolicy.builder().rolloutPercent(101))
			.withMessageContaining("'rollout-percent'");
	}

}
