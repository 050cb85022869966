package io.github.compressredis.core.policy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.github.compressredis.core.codec.Algorithm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Swapping the policy at runtime: versions, history, listeners and refused changes.
 */
class CompressionPolicyHolderTests {

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	private final CompressionPolicyHolder holder = new CompressionPolicyHolder(CompressionPolicy.defaults(),
			PolicySource.PROPERTIES, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void firstVersionIsOneWithItsSourceAndTime() {
		PolicyVersion first = this.holder.current();
		assertThat(first.version()).isOne();
		assertThat(first.source()).isEqualTo(PolicySource.PROPERTIES);
		assertThat(first.changedAt()).isEqualTo(NOW);
		assertThat(first.changes()).startsWith("initial policy");
		assertThat(this.holder.policy()).isSameAs(CompressionPolicy.defaults());
		assertThat(this.holder.policyForWrite()).isSameAs(CompressionPolicy.defaults());
		assertThat(this.holder.history()).containsExactly(first);
		assertThat(this.holder.lastRefused()).isNull();
	}

	@Test
	void updateBumpsTheVersionAndPutsThePolicyInForce() {
		CompressionPolicy lz4 = CompressionPolicy.builder().algorithm(Algorithm.LZ4).build();
		PolicyVersion second = this.holder.update(lz4, PolicySource.NACOS);
		assertThat(second.version()).isEqualTo(2);
		assertThat(second.source()).isEqualTo(PolicySource.NACOS);
		assertThat(second.policy()).isSameAs(lz4);
		assertThat(second.changes()).isEqualTo("algorithm zstd -> lz4, level 3 -> 0");
		assertThat(this.holder.current()).isSameAs(second);
		assertThat(this.holder.policyForWrite()).isSameAs(lz4);
		assertThat(this.holder.history()).extracting(PolicyVersion::version).containsExactly(1L, 2L);
	}

	@Test
	void equalPolicyIsNotAChange() {
		List<PolicyVersion> notified = new ArrayList<>();
		this.holder.addListener(notified::add);
		PolicyVersion before = this.holder.current();
		PolicyVersion after = this.holder.update(CompressionPolicy.builder().build(), PolicySource.ENDPOINT);
		assertThat(after).isSameAs(before);
		assertThat(this.holder.current().version()).isOne();
		assertThat(this.holder.history()).hasSize(1);
		assertThat(notified).isEmpty();
	}

	@Test
	void historyKeepsOnlyTheLastVersionsOldestFirst() {
		int updates = CompressionPolicyHolder.HISTORY_SIZE + 10;
		for (int i = 1; i <= updates; i++) {
			this.holder.update(CompressionPolicy.builder().minSize(i).build(), PolicySource.API);
		}
		List<PolicyVersion> history = this.holder.history();
		assertThat(history).hasSize(CompressionPolicyHolder.HISTORY_SIZE);
		long last = updates + 1;
		assertThat(history.get(history.size() - 1).version()).isEqualTo(last);
		assertThat(history.get(0).version()).isEqualTo(last - CompressionPolicyHolder.HISTORY_SIZE + 1);
		for (int i = 1; i < history.size(); i++) {
			assertThat(history.get(i).version()).isEqualTo(history.get(i - 1).version() + 1);
		}
		assertThat(history).isUnmodifiable();
	}

	@Test
	void listenersAreCalledWithEveryAcceptedVersion() {
		List<PolicyVersion> first = new ArrayList<>();
		List<PolicyVersion> second = new ArrayList<>();
		this.holder.addListener(first::add);
		this.holder.addListener(second::add);
		PolicyVersion v2 = this.holder.update(CompressionPolicy.builder().checksum(false).build(), PolicySource.BEAN);
		PolicyVersion v3 = this.holder.update(CompressionPolicy.builder().level(9).build(), PolicySource.BEAN);
		assertThat(first).containsExactly(v2, v3);
		assertThat(second).containsExactly(v2, v3);
	}

	@Test
	void refuseKeepsThePolicyInForceAndRecordsTheReason() {
		List<PolicyVersion> notified = new ArrayList<>();
		this.holder.addListener(notified::add);
		PolicyVersion before = this.holder.current();
		RefusedChange refused = this.holder.refuse(PolicySource.NACOS, "'level' 23 is out of range for zstd");
		assertThat(refused.source()).isEqualTo(PolicySource.NACOS);
		assertThat(refused.reason()).isEqualTo("'level' 23 is out of range for zstd");
		assertThat(refused.refusedAt()).isEqualTo(NOW);
		assertThat(this.holder.lastRefused()).isEqualTo(refused);
		assertThat(this.holder.current()).isSameAs(before);
		assertThat(this.holder.history()).containsExactly(before);
		assertThat(notified).isEmpty();
		RefusedChange later = this.holder.refuse(PolicySource.ENDPOINT, "'max-ratio' must be above 0");
		assertThat(this.holder.lastRefused()).isEqualTo(later);
	}

	@Test
	void nullArgumentsAreRefusedWithTheirName() {
		assertThatNullPointerException().isThrownBy(() -> this.holder.update(null, PolicySource.API))
			.withMessageContaining("'policy'");
		assertThatNullPointerException().isThrownBy(() -> this.holder.update(CompressionPolicy.defaults(), null))
			.withMessageContaining("'source'");
		assertThatNullPointerException().isThrownBy(() -> this.holder.addListener(null))
			.withMessageContaining("'listener'");
		assertThatNullPointerException().isThrownBy(() -> new CompressionPolicyHolder(null))
			.withMessageContaining("'initial'");
	}

}
