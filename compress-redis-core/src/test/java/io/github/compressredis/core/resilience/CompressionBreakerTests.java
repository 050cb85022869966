package io.github.compressredis.core.resilience;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.BreakerState;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import io.github.compressredis.core.stats.WriteOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The breaker on the write path, with time moved by a {@link ManualTicker}: each compression
 * appears to take one ticker step, so a step over the 10 ms budget makes every compression slow.
 */
class CompressionBreakerTests {

	private static final byte[] VALUE = json(8192);

	private static final Duration SLOW = Duration.ofMillis(20);

	private static final Duration FAST = Duration.ofMillis(1);

	private static final Duration COOL_DOWN = Duration.ofSeconds(30);

	private static final CompressionPolicy ZSTD_19 = CompressionPolicy.builder().algorithm(Algorithm.ZSTD).level(19).build();

	private final CompressionStats stats = new CompressionStats();

	private final ManualTicker ticker = new ManualTicker(SLOW);

	private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

	@Test
	void slowCompressionIsDegradedToAFasterLevelForTheCoolDownThenProbedBackToThePolicy() {
		CompressionBreaker breaker = breaker(settings().build());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		assertThat(this.stats.breakerStatus().state()).isEqualTo(BreakerState.CLOSED);
		for (int i = 0; i < 19; i++) {
			assertThat(compressor.compress(VALUE)).isEqualTo(encoded(ZSTD_19));
		}
		assertThat(breaker.status().state()).as("19 calls are fewer than minimum-calls").isEqualTo(BreakerState.CLOSED);
		compressor.compress(VALUE);
		assertThat(this.stats.breakerStatus().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(this.stats.breakerStatus().reason()).isEqualTo(FallbackReason.SLOW);
		assertThat(this.stats.breakerStatus().detail()).contains("p99", "10 ms budget", "20 of 20");
		assertThat(this.stats.breakerTrips(FallbackReason.SLOW)).isOne();
		this.ticker.step(FAST);
		// degraded: zstd 1 instead of 19, still compressed, counted as a fallback
		assertThat(compressor.compress(VALUE)).isEqualTo(encoded(ZSTD_19.toBuilder().level(1).build()));
		assertThat(this.stats.writes(WriteOutcome.COMPRESSED)).isEqualTo(21);
		assertThat(this.stats.fallbacks(FallbackReason.SLOW)).isOne();
		this.ticker.advance(COOL_DOWN);
		// probes follow the policy, one at a time; three within budget close the breaker
		for (int probe = 1; probe <= 3; probe++) {
			assertThat(compressor.compress(VALUE)).as("probe %d", probe).isEqualTo(encoded(ZSTD_19));
			assertThat(breaker.status().state()).isEqualTo((probe < 3) ? BreakerState.HALF_OPEN : BreakerState.CLOSED);
		}
		assertThat(compressor.compress(VALUE)).isEqualTo(encoded(ZSTD_19));
		assertThat(this.stats.fallbacks(FallbackReason.SLOW)).isOne();
		assertThat(this.stats.breakerStatus().state()).isEqualTo(BreakerState.CLOSED);
		assertThat(this.stats.breakerStatus().detail()).contains("following the policy again");
	}

	@Test
	void degradedCompressionThatStaysSlowIsStoredPlainUntilTheCoolDownEnds() {
		CompressionBreaker breaker = breaker(settings().build());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		writes(compressor, 20);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		writes(compressor, 20);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.OPEN);
		assertThat(this.stats.breakerTrips(FallbackReason.SLOW)).isEqualTo(2);
		byte[] stored = compressor.compress(VALUE);
		assertThat(stored).isSameAs(VALUE);
		assertThat(this.stats.writes(WriteOutcome.SKIPPED)).isOne();
		assertThat(this.stats.fallbacks(FallbackReason.SLOW)).isEqualTo(21);
		assertThat(compressor.decompress(stored)).isEqualTo(VALUE);
	}

	@Test
	void withThePlainFallbackSlowCompressionIsStoredPlainAtOnce() {
		CompressionBreaker breaker = breaker(settings().fallback(BreakerSettings.Fallback.PLAIN).build());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		writes(compressor, 20);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.OPEN);
		assertThat(compressor.compress(VALUE)).isSameAs(VALUE);
		assertThat(this.stats.writes(WriteOutcome.SKIPPED)).isOne();
	}

	@Test
	void degradedWithoutAFasterLevelStoresPlain() {
		CompressionPolicy lz4Fast = CompressionPolicy.builder().algorithm(Algorithm.LZ4).level(0).build();
		CompressionBreaker breaker = breaker(settings().build());
		ValueCompressor compressor = compressor(lz4Fast, breaker);
		writes(compressor, 20);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(compressor.compress(VALUE)).isSameAs(VALUE);
		assertThat(this.stats.writes(WriteOutcome.SKIPPED)).isOne();
		assertThat(this.stats.fallbacks(FallbackReason.SLOW)).isOne();
	}

	@Test
	void aSlowProbeTripsTheBreakerAgain() {
		CompressionBreaker breaker = breaker(settings().build());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		writes(compressor, 20);
		this.ticker.advance(COOL_DOWN);
		assertThat(compressor.compress(VALUE)).as("the probe").isEqualTo(encoded(ZSTD_19));
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(breaker.status().detail()).contains("a probe of the policy took 20 ms");
		assertThat(this.stats.breakerTrips(FallbackReason.SLOW)).isEqualTo(2);
	}

	@Test
	void aNewPolicyIsProbedAtOnceInsteadOfWaitingOutTheOldPolicysCoolDown() {
		CompressionBreaker breaker = breaker(settings().build());
		CompressionPolicyHolder policies = listenedTo(breaker);
		ValueCompressor compressor = new ValueCompressor(policies, new CodecRegistry(), this.stats, breaker);
		writes(compressor, 40);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.OPEN);
		assertThat(compressor.compress(VALUE)).as("open: stored plain").isSameAs(VALUE);
		// the operator switches to a fast policy, well within the cool-down
		CompressionPolicy lz4 = CompressionPolicy.builder().algorithm(Algorithm.LZ4).level(0).build();
		policies.update(lz4, PolicySource.ENDPOINT);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.HALF_OPEN);
		assertThat(breaker.status().detail()).contains("policy version 2 from endpoint", "probing it");
		this.ticker.step(FAST);
		for (int probe = 1; probe <= 3; probe++) {
			assertThat(compressor.compress(VALUE)).as("probe %d", probe).isEqualTo(encoded(lz4));
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
		assertThat(compressor.compress(VALUE)).isEqualTo(encoded(lz4));
		assertThat(this.stats.breakerTrips(FallbackReason.SLOW)).as("no trip since the change").isEqualTo(2);
	}

	@Test
	void aNewPolicyThatIsStillSlowTripsTheBreakerAgainOnItsFirstProbe() {
		CompressionBreaker breaker = breaker(settings().build());
		CompressionPolicyHolder policies = listenedTo(breaker);
		ValueCompressor compressor = new ValueCompressor(policies, new CodecRegistry(), this.stats, breaker);
		writes(compressor, 20);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		CompressionPolicy zstd22 = ZSTD_19.toBuilder().level(22).build();
		policies.update(zstd22, PolicySource.NACOS);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.HALF_OPEN);
		assertThat(compressor.compress(VALUE)).as("the probe follows the new policy").isEqualTo(encoded(zstd22));
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(this.stats.breakerTrips(FallbackReason.SLOW)).isEqualTo(2);
	}

	@Test
	void aPolicyChangeLeavesAClosedBreakerClosed() {
		CompressionBreaker breaker = breaker(settings().build());
		CompressionPolicyHolder policies = listenedTo(breaker);
		policies.update(ZSTD_19.toBuilder().level(3).build(), PolicySource.NACOS);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
		assertThat(this.stats.breakerTrips(FallbackReason.SLOW)).isZero();
	}

	@Test
	void slowCompressionsWithinThePercentileDoNotTripTheBreaker() {
		CompressionBreaker breaker = breaker(settings().build());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		// 2 slow of 200: the p99 (the 198th fastest) is within budget
		this.ticker.step(FAST);
		writes(compressor, 99);
		slowWrite(compressor);
		writes(compressor, 99);
		slowWrite(compressor);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
		// a third: the p99 is over budget
		slowWrite(compressor);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
	}

	@Test
	void slowCompressionsOutsideTheWindowAreForgotten() {
		CompressionBreaker breaker = breaker(settings().build());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		writes(compressor, 15);
		this.ticker.advance(Duration.ofSeconds(11));
		writes(compressor, 15);
		assertThat(breaker.status().state()).as("never 20 calls within 10 s").isEqualTo(BreakerState.CLOSED);
		writes(compressor, 5);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
	}

	@Test
	void repeatedFailuresStoreValuesPlainUntilAProbeFindsCompressionWorkingAgain() {
		CompressionBreaker breaker = breaker(settings().build());
		this.ticker.step(FAST);
		ValueCompressor failing = failing(breaker);
		ValueCompressor healthy = compressor(ZSTD_19, breaker);
		for (int i = 0; i < 5; i++) {
			assertThat(failing.compress(VALUE)).as("a failed compression stores plain").isSameAs(VALUE);
		}
		assertThat(this.stats.writes(WriteOutcome.FAILED)).isEqualTo(5);
		assertThat(this.stats.fallbacks(FallbackReason.COMPRESSION_FAILED)).isEqualTo(5);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.OPEN);
		assertThat(breaker.status().reason()).isEqualTo(FallbackReason.FAILING);
		assertThat(breaker.status().detail()).contains("5 compressions in a row failed", "CodecRegistry is closed");
		// open: nothing is compressed, not even by a working codec, until the cool-down ends
		assertThat(healthy.compress(VALUE)).isSameAs(VALUE);
		assertThat(this.stats.writes(WriteOutcome.SKIPPED)).isOne();
		assertThat(this.stats.fallbacks(FallbackReason.FAILING)).isOne();
		this.ticker.advance(COOL_DOWN);
		for (int probe = 0; probe < 3; probe++) {
			assertThat(healthy.compress(VALUE)).isEqualTo(encoded(ZSTD_19));
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
		assertThat(this.stats.breakerTrips(FallbackReason.FAILING)).isOne();
	}

	@Test
	void aFailureRateOverTheLimitOpensTheBreakerWithoutConsecutiveFailures() {
		CompressionBreaker breaker = breaker(settings().build());
		this.ticker.step(FAST);
		ValueCompressor failing = failing(breaker);
		ValueCompressor healthy = compressor(ZSTD_19, breaker);
		for (int i = 0; i < 9; i++) {
			healthy.compress(VALUE);
			failing.compress(VALUE);
		}
		healthy.compress(VALUE);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
		failing.compress(VALUE);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.OPEN);
		assertThat(breaker.status().detail()).contains("10 of 20 compressions", "failed (limit 50%)");
	}

	@Test
	void aProbeThatNeverReportsBackIsGivenUpAfterACoolDown() {
		CompressionBreaker breaker = breaker(settings().build());
		this.ticker.step(Duration.ZERO);
		for (int i = 0; i < 5; i++) {
			breaker.onFailed(breaker.admit(), breaker.now(), new IllegalStateException("native error"));
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.OPEN);
		assertThat(breaker.admit()).isEqualTo(Admission.PLAIN);
		this.ticker.advance(COOL_DOWN.plusMillis(1));
		assertThat(breaker.admit()).isEqualTo(Admission.PROBE);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.HALF_OPEN);
		assertThat(breaker.admit()).as("one probe at a time").isEqualTo(Admission.PLAIN);
		this.ticker.advance(COOL_DOWN.plusMillis(1));
		assertThat(breaker.admit()).isEqualTo(Admission.PROBE);
	}

	@ParameterizedTest
	@CsvSource({ "zstd, 19, 1", "zstd, 3, 1", "zstd, 2, 1", "zstd, 0, 1", "zstd, 1, -1", "zstd, -1, none",
			"lz4, 17, 0", "lz4, 1, 0", "lz4, 0, none", "gzip, 9, 1", "gzip, 6, 1", "gzip, 1, none", "deflate, 6, 1",
			"snappy, 0, none", "none, 0, none" })
	void fasterLevels(String algorithm, int level, String faster) {
		int expected = "none".equals(faster) ? CompressionBreaker.NO_FASTER_LEVEL : Integer.parseInt(faster);
		assertThat(CompressionBreaker.fasterLevel(Algorithm.forName(algorithm), level)).isEqualTo(expected);
	}

	@Test
	void concurrentWritersReadBackEveryValueWhileTheBreakerTripsAndRecovers() throws Exception {
		CompressionBreaker breaker = breaker(settings().coolDown(Duration.ofSeconds(2)).probes(2).build());
		ValueCompressor compressor = compressor(ZSTD_19.toBuilder().level(3).build(), breaker);
		int threads = 8;
		int writes = 1500;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				futures.add(executor.submit(() -> {
					for (int i = 0; i < writes; i++) {
						// alternate slow and fast phases so that the breaker keeps tripping and closing
						if (thread == 0 && i % 200 == 0) {
							this.ticker.step(((i / 200) % 2 == 0) ? SLOW : FAST);
						}
						assertThat(compressor.decompress(compressor.compress(VALUE))).isEqualTo(VALUE);
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.stats.writes()).isEqualTo((long) threads * writes);
		assertThat(this.stats.breakerTrips(FallbackReason.SLOW)).isPositive();
		assertThat(this.stats.fallbacks(FallbackReason.SLOW)).isGreaterThanOrEqualTo(this.stats.writes(WriteOutcome.SKIPPED));
		assertThat(this.stats.writes(WriteOutcome.FAILED)).isZero();
	}

	private BreakerSettings.Builder settings() {
		return BreakerSettings.builder()
			.latencyBudget(Duration.ofMillis(10))
			.window(Duration.ofSeconds(10))
			.minimumCalls(20)
			.coolDown(COOL_DOWN)
			.probes(3);
	}

	private CompressionBreaker breaker(BreakerSettings settings) {
		return new CompressionBreaker(settings, this.stats, this.ticker, this.clock);
	}

	/** A compressor whose every compression throws: its codec registry is closed. */
	private ValueCompressor failing(CompressionBreaker breaker) {
		CodecRegistry broken = new CodecRegistry();
		broken.close();
		return new ValueCompressor(new CompressionPolicyHolder(ZSTD_19), broken, this.stats, breaker);
	}

	/** A zstd 19 policy whose changes the breaker hears of, as the auto-configuration wires it. */
	private static CompressionPolicyHolder listenedTo(CompressionBreaker breaker) {
		CompressionPolicyHolder policies = new CompressionPolicyHolder(ZSTD_19);
		policies.addListener(breaker::onPolicyChanged);
		return policies;
	}

	private ValueCompressor compressor(CompressionPolicy policy, CompressionBreaker breaker) {
		return new ValueCompressor(new CompressionPolicyHolder(policy), new CodecRegistry(), this.stats, breaker);
	}

	private void writes(ValueCompressor compressor, int count) {
		for (int i = 0; i < count; i++) {
			compressor.compress(VALUE);
		}
	}

	private void slowWrite(ValueCompressor compressor) {
		this.ticker.step(SLOW);
		compressor.compress(VALUE);
		this.ticker.step(FAST);
	}

	/** What a compressor without a breaker stores for {@link #VALUE} under a policy (deterministic). */
	private static byte[] encoded(CompressionPolicy policy) {
		return new ValueCompressor(new CompressionPolicyHolder(policy), new CodecRegistry(), new CompressionStats())
			.compress(VALUE);
	}

	private static byte[] json(int size) {
		StringBuilder json = new StringBuilder("[");
		for (int i = 0; json.length() < size; i++) {
			json.append("{\"id\":").append(i).append(",\"name\":\"city ").append(i * 7919 % 1000)
				.append("\",\"country\":\"AD\"},");
		}
		return json.append("{}]").toString().getBytes(StandardCharsets.UTF_8);
	}

}
