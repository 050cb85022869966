package io.github.compressredis.actuate.endpoint;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint.ResilienceDescriptor;
import io.github.compressredis.autoconfigure.PolicyPipeline;
import io.github.compressredis.autoconfigure.TestPayloads;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.resilience.BreakerSettings;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the breaker and fallbacks in {@link CompressionEndpoint}'s response, without
 * a context.
 */
class CompressionEndpointResilienceTests {

	private static final byte[] LARGE = TestPayloads.utf8(TestPayloads.json(8192));

	private final CompressionPolicyHolder policies = new CompressionPolicyHolder(CompressionPolicy.defaults(),
			PolicySource.PROPERTIES);

	private final CompressionStats stats = new CompressionStats();

	private final CompressionEndpoint endpoint = new CompressionEndpoint(this.policies, this.stats,
			new PolicyPipeline(new PolicyValidator((algorithm) -> true), null));

	@Test
	void withoutABreakerTheStateIsDisabled() {
		ResilienceDescriptor resilience = this.endpoint.compression().resilience();
		assertThat(resilience.breaker().state()).isEqualTo("disabled");
		assertThat(resilience.breaker().reason()).isNull();
		assertThat(resilience.fallbacksByReason()).containsOnlyKeys("compression-failed", "slow", "failing")
			.containsValues(0L);
		assertThat(resilience.cacheFailOpen()).isZero();
	}

	@Test
	void failingCompressionShowsAnOpenBreakerWithItsReasonAndFallbacks() {
		CompressionBreaker breaker = new CompressionBreaker(BreakerSettings.builder().failureThreshold(2).build(),
				this.stats);
		CodecRegistry broken = new CodecRegistry();
		broken.close();
		ValueCompressor compressor = new ValueCompressor(this.policies, broken, this.stats, breaker);
		assertThat(this.endpoint.compression().resilience().breaker().state()).isEqualTo("closed");
		compressor.compress(LARGE);
		compressor.compress(LARGE);
		compressor.compress(LARGE);
		this.stats.recordCacheFailOpen();
		ResilienceDescriptor resilience = this.endpoint.compression().resilience();
		assertThat(resilience.breaker().state()).isEqualTo("open");
		assertThat(resilience.breaker().reason()).isEqualTo("failing");
		assertThat(resilience.breaker().detail()).contains("2 compressions in a row failed", "storing plain for 30 s");
		assertThat(resilience.breaker().since()).isNotNull();
		assertThat(resilience.fallbacksByReason()).containsEntry("compression-failed", 2L).containsEntry("failing", 1L);
		assertThat(resilience.breakerTripsByReason()).containsEntry("failing", 1L).containsEntry("slow", 0L);
		assertThat(resilience.cacheFailOpen()).isOne();
		assertThat(this.endpoint.compression().writes().byOutcome()).containsEntry("failed", 2L)
			.containsEntry("skipped", 1L);
	}

}
