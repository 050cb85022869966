package io.github.compressredis.autoconfigure.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.compressredis.autoconfigure.TestPayloads;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.resilience.BreakerSettings;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.BreakerState;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the breaker and fallback meters of {@link CompressionMetrics}.
 */
class BreakerMetricsTests {

	private static final byte[] LARGE = TestPayloads.utf8(TestPayloads.json(8192));

	private final CompressionPolicyHolder policies = new CompressionPolicyHolder(CompressionPolicy.defaults(),
			PolicySource.PROPERTIES);

	private final CompressionStats stats = new CompressionStats();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void stateGaugeShowsTheDisabledStateWithoutABreaker() {
		new CompressionMetrics(this.stats, this.policies).bindTo(this.registry);
		assertThat(state("disabled")).isEqualTo(1);
		assertThat(state("closed")).isZero();
	}

	@Test
	void stateGaugeFallbacksAndTripsFollowTheBreaker() {
		new CompressionMetrics(this.stats, this.policies).bindTo(this.registry);
		// a 1 ns budget over 1 call: the first compression trips the breaker
		CompressionBreaker breaker = new CompressionBreaker(BreakerSettings.builder()
			.latencyBudget(Duration.ofNanos(1))
			.latencyBudgetPerMb(Duration.ZERO)
			.minimumCalls(1)
			.minimumSamples(1)
			.build(), this.stats);
		ValueCompressor compressor = new ValueCompressor(this.policies, new CodecRegistry(), this.stats, breaker);
		assertThat(state("closed")).isEqualTo(1);
		compressor.compress(LARGE);
		assertThat(state("closed")).isZero();
		assertThat(state("degraded")).isEqualTo(1);
		assertThat(this.registry.get("redis.compression.breaker.trips").tag("reason", "slow").functionCounter().count())
			.isEqualTo(1);
		compressor.compress(LARGE);
		assertThat(this.registry.get("redis.compression.fallbacks").tag("reason", "slow").functionCounter().count())
			.isEqualTo(1);
		assertThat(this.registry.get("redis.compression.fallbacks")
			.tag("reason", "compression-failed")
			.functionCounter()
			.count()).isZero();
		assertThat(this.registry.find("redis.compression.breaker.trips").tag("reason", "compression-failed").meter())
			.as("a failed compression is not a trip reason")
			.isNull();
	}

	@Test
	void cacheFailOpenCounterFollowsTheStatistics() {
		new CompressionMetrics(this.stats, this.policies).bindTo(this.registry);
		this.stats.recordCacheFailOpen();
		assertThat(this.registry.get("redis.compression.cache.fail-open").functionCounter().count()).isEqualTo(1);
	}

	@Test
	void breakerAndFallbackTagsAreBoundedByEnums() {
		new CompressionMetrics(this.stats, this.policies).bindTo(this.registry);
		assertThat(tagValues("redis.compression.breaker.state", "state"))
			.isEqualTo(Arrays.stream(BreakerState.values()).map(BreakerState::tag).collect(Collectors.toSet()));
		assertThat(tagValues("redis.compression.fallbacks", "reason"))
			.isEqualTo(Arrays.stream(FallbackReason.values()).map(FallbackReason::tag).collect(Collectors.toSet()));
		for (Meter meter : this.registry.find("redis.compression.breaker.state").meters()) {
			assertThat(meter.getId().getDescription()).isNotBlank();
		}
	}

	private double state(String state) {
		return this.registry.get("redis.compression.breaker.state").tag("state", state).gauge().value();
	}

	private Set<String> tagValues(String name, String key) {
		return this.registry.find(name)
			.meters()
			.stream()
			.map((meter) -> meter.getId().getTag(key))
			.collect(Collectors.toSet());
	}

}
