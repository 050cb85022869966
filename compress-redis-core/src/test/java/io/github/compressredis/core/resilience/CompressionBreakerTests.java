package io.github.compressredis.core.resilience;

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

import io.github.compressredis.core.TestJson;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.internal.resilience.Admission;
import io.github.compressredis.core.json.JsonCompressingRedisSerializer;
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
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The breaker on the write path, with time moved by a {@link ManualTicker}: each
 * compression appears to take one ticker step, so a step over the 10 ms budget makes
 * every compression slow, and sampled compressions cost the CPU time the ticker injects.
 */
class CompressionBreakerTests {

	private static final byte[] VALUE = TestJson.json(8192);

	private static final Duration SLOW = Duration.ofMillis(20);

	private static final Duration FAST = Duration.ofMillis(1);

	private static final Duration COOL_DOWN = Duration.ofSeconds(30);

	private static final CompressionPolicy ZSTD_19 = CompressionPolicy.builder()
		.algorithm(Algorithm.ZSTD)
		.level(19)
		.build();

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
		assertThat(this.stats.breakerStatus().detail()).contains("20 of 20 compressions", "longer than 10 ms",
				"compressing at zstd 1");
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
	void theStreamingJsonSerializerFollowsADegradedBreaker() {
		CompressionBreaker breaker = breaker(settings().build());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		writes(compressor, 20);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		this.ticker.step(FAST);
		JsonMapper mapper = JsonMapper.builder().build();
		JsonCompressingRedisSerializer<Object> serializer = JsonCompressingRedisSerializer.json(mapper, compressor);
		List<String> big = TestJson.records(400 * 1024);
		byte[] json = mapper.writeValueAsBytes(big);
		assertThat(json.length).isGreaterThan(ValueCompressor.STREAMING_THRESHOLD);
		// degraded: zstd 1 instead of 19, as the compressor writes it
		assertThat(serializer.serialize(big))
			.isEqualTo(new ValueCompressor(new CompressionPolicyHolder(ZSTD_19.toBuilder().level(1).build()),
					new CodecRegistry(), new CompressionStats())
				.compress(json));
		assertThat(this.stats.fallbacks(FallbackReason.SLOW)).isPositive();
	}

	@Test
	void streamedWritesAreCostSampledAndTripTheBreakerAsArraysDo() {
		CompressionBreaker breaker = breaker(BreakerSettings.defaults());
		CompressionPolicy zstd3 = CompressionPolicy.builder().algorithm(Algorithm.ZSTD).level(3).build();
		ValueCompressor compressor = compressor(zstd3, breaker);
		JsonMapper mapper = JsonMapper.builder().build();
		JsonCompressingRedisSerializer<Object> serializer = JsonCompressingRedisSerializer.json(mapper, compressor);
		List<String> big = TestJson.records(300 * 1024);
		assertThat(mapper.writeValueAsBytes(big).length).isGreaterThan(ValueCompressor.STREAMING_THRESHOLD);
		// as in aLevelSoSlowThatAWindowHoldsFewerThanMinimumCallsStillTripsOnItsCost:
		// too few calls for the wall-time judgement, each costing 100 times the fastest
		// level
		this.ticker.step(Duration.ofMillis(300));
		this.ticker.costs(Duration.ofMillis(1000), Duration.ofMillis(10));
		int writes = 0;
		while (breaker.status().state() == BreakerState.CLOSED
				&& writes < 2 * BreakerSettings.DEFAULT_MINIMUM_SAMPLES) {
			serializer.serialize(big);
			writes++;
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(writes).isEqualTo(BreakerSettings.DEFAULT_MINIMUM_SAMPLES);
		assertThat(breaker.status().detail()).contains("10 of 10 sampled compressions", "the last 100.0×",
				"compressing at zstd 1");
		// and the next streamed value is written the degraded way, counted as a fallback
		this.ticker.step(FAST);
		assertThat(WireFormat.parse(serializer.serialize(big)).codecId()).isEqualTo(Algorithm.ZSTD.id());
		assertThat(this.stats.fallbacks(FallbackReason.SLOW)).isOne();
		assertThat(this.stats.writes(WriteOutcome.COMPRESSED)).isEqualTo(writes + 1);
	}

	@Test
	void anOpenBreakerStoresAStreamedValuePlainWithoutCompressingIt() {
		CompressionBreaker breaker = breaker(settings().build());
		this.ticker.step(FAST);
		ValueCompressor failing = failing(breaker);
		JsonMapper mapper = JsonMapper.builder().build();
		List<String> big = TestJson.records(300 * 1024);
		byte[] json = mapper.writeValueAsBytes(big);
		for (int i = 0; i < 5; i++) {
			assertThat(JsonCompressingRedisSerializer.json(mapper, failing).serialize(big))
				.as("a failed compression stores plain")
				.isEqualTo(json);
		}
		assertThat(this.stats.writes(WriteOutcome.FAILED)).isEqualTo(5);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.OPEN);
		JsonCompressingRedisSerializer<Object> healthy = JsonCompressingRedisSerializer.json(mapper,
				compressor(ZSTD_19, breaker));
		assertThat(healthy.serialize(big)).isEqualTo(json);
		assertThat(this.stats.writes(WriteOutcome.SKIPPED)).isOne();
		assertThat(this.stats.fallbacks(FallbackReason.FAILING)).isOne();
		assertThat(healthy.deserialize(json)).isEqualTo(big);
	}

	@Test
	void degradedCompressionThatStaysSlowGoesFasterAgainButNeverPlain() {
		CompressionBreaker breaker = breaker(settings().build());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		writes(compressor, 20);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		writes(compressor, 20);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(breaker.status().detail()).contains("compressing at zstd -1");
		assertThat(this.stats.breakerTrips(FallbackReason.SLOW)).isEqualTo(2);
		assertThat(compressor.compress(VALUE)).isEqualTo(encoded(ZSTD_19.toBuilder().level(-1).build()));
		// zstd -1 has nothing faster: still slow, it keeps compressing at it
		writes(compressor, 40);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(this.stats.breakerTrips(FallbackReason.SLOW)).isEqualTo(2);
		assertThat(this.stats.writes(WriteOutcome.SKIPPED)).isZero();
		assertThat(this.stats.writes(WriteOutcome.COMPRESSED)).isEqualTo(81);
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
	void slowCompressionWithoutAFasterLevelKeepsCompressing() {
		CompressionPolicy lz4Fast = CompressionPolicy.builder().algorithm(Algorithm.LZ4).level(0).build();
		CompressionBreaker breaker = breaker(settings().build());
		ValueCompressor compressor = compressor(lz4Fast, breaker);
		writes(compressor, 40);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
		assertThat(compressor.compress(VALUE)).isEqualTo(encoded(lz4Fast));
		assertThat(this.stats.writes(WriteOutcome.SKIPPED)).isZero();
		assertThat(this.stats.fallbacks(FallbackReason.SLOW)).isZero();
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
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(compressor.compress(VALUE)).as("degraded twice: zstd -1")
			.isEqualTo(encoded(ZSTD_19.toBuilder().level(-1).build()));
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
	void outliersDoNotTripTheBreakerOnlyASustainedShareDoes() {
		CompressionBreaker breaker = breaker(settings().build());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		this.ticker.step(FAST);
		writes(compressor, 10);
		slowWrite(compressor);
		slowWrite(compressor);
		writes(compressor, 8);
		assertThat(breaker.status().state()).as("2 slow of 20").isEqualTo(BreakerState.CLOSED);
		for (int i = 0; i < 15; i++) {
			slowWrite(compressor);
		}
		assertThat(breaker.status().state()).as("17 slow of 35").isEqualTo(BreakerState.CLOSED);
		slowWrite(compressor);
		assertThat(breaker.status().state()).as("18 slow of 36: half").isEqualTo(BreakerState.DEGRADED);
	}

	@Test
	void aLevelTenTimesTheConfiguredLevelsCostTripsWithinOneWindowAtTwentyWritesASecond() {
		CompressionBreaker breaker = breaker(BreakerSettings.defaults());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		this.ticker.step(Duration.ZERO);
		// the configured level: 1.2 times the fastest level's CPU time, like zstd 3
		// against zstd 1
		this.ticker.costs(Duration.ofNanos(1200_000), Duration.ofNanos(1000_000));
		int perSecond = 20;
		paced(compressor, perSecond, 10 * perSecond);
		assertThat(breaker.status().state()).as("a full window of the configured level").isEqualTo(BreakerState.CLOSED);
		// a level costing ten times the configured one: 12 times the fastest level
		this.ticker.costs(Duration.ofNanos(12_000_000), Duration.ofNanos(1000_000));
		int writes = 0;
		while (breaker.status().state() == BreakerState.CLOSED && writes < 10 * perSecond) {
			paced(compressor, perSecond, 1);
			writes++;
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(writes).as("writes before it tripped, at %d a second", perSecond).isLessThan(10 * perSecond);
		assertThat(breaker.status().detail()).contains("sampled compressions in the last 10 s cost over 10.0×",
				"zstd 1 on the same value", "the last 12.0×", "compressing at zstd 1");
		// the wall time never was over budget: only the CPU cost tells
		assertThat(compressor.compress(VALUE)).isEqualTo(encoded(ZSTD_19.toBuilder().level(1).build()));
	}

	@Test
	void aLevelSoSlowThatAWindowHoldsFewerThanMinimumCallsStillTripsOnItsCost() {
		CompressionBreaker breaker = breaker(BreakerSettings.defaults());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		// 0.6 s a value (the compressor reads the ticker twice): never the 20 calls the
		// wall-time
		// judgement needs in 10 s
		this.ticker.step(Duration.ofMillis(300));
		this.ticker.costs(Duration.ofMillis(1000), Duration.ofMillis(10));
		compressor.compress(VALUE);
		compressor.compress(VALUE);
		this.ticker.advance(Duration.ofSeconds(30));
		compressor.compress(VALUE);
		compressor.compress(VALUE);
		assertThat(breaker.status().state()).as("two costly samples in a window are outliers")
			.isEqualTo(BreakerState.CLOSED);
		this.ticker.advance(Duration.ofSeconds(30));
		long started = this.ticker.peek();
		int writes = 0;
		while (breaker.status().state() == BreakerState.CLOSED && writes < 10) {
			compressor.compress(VALUE);
			writes++;
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(writes).isEqualTo(BreakerSettings.DEFAULT_MINIMUM_SAMPLES);
		assertThat(Duration.ofNanos(this.ticker.peek() - started)).isLessThan(BreakerSettings.DEFAULT_WINDOW);
		assertThat(breaker.status().detail()).contains("10 of 10 sampled compressions", "the last 100.0×");
	}

	@Test
	void aDelayOnEveryCallTripsWithinOneWindowAtTwentyWritesASecond() {
		CompressionBreaker breaker = breaker(BreakerSettings.defaults());
		ValueCompressor compressor = compressor(ZSTD_19.toBuilder().level(3).build(), breaker);
		this.ticker.step(FAST);
		this.ticker.costs(Duration.ofNanos(1200_000), Duration.ofNanos(1000_000));
		paced(compressor, 20, 200);
		assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
		// a codec that blocks 20 ms on every call, without using more CPU
		this.ticker.step(SLOW);
		int writes = 0;
		while (breaker.status().state() == BreakerState.CLOSED && writes < 200) {
			paced(compressor, 20, 1);
			writes++;
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(writes).isLessThan(200);
		assertThat(breaker.status().detail()).contains("took longer than 10 ms plus 50 ms per MiB",
				"compressing at zstd 1");
	}

	@Test
	void waitingForACpuIsNotSlownessButABlockingCodecIs() {
		ManualTicker waiting = new ManualTicker(Duration.ofMillis(20));
		waiting.waits(Duration.ZERO);
		waiting.costs(Duration.ofNanos(1_200_000), Duration.ofNanos(1_000_000));
		CompressionBreaker breaker = new CompressionBreaker(BreakerSettings.defaults(), this.stats, waiting,
				this.clock);
		ValueCompressor compressor = compressor(ZSTD_19.toBuilder().level(3).build(), breaker);
		// 20 ms a write, 18 of them waiting for a CPU on a busy host
		waiting.waits(Duration.ofMillis(18));
		for (int i = 0; i < 400; i++) {
			compressor.compress(VALUE);
			waiting.advance(Duration.ofMillis(10));
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
		// 20 ms a write, none of them waiting: the codec blocks
		waiting.waits(Duration.ZERO);
		int writes = 0;
		while (breaker.status().state() == BreakerState.CLOSED && writes < 200) {
			compressor.compress(VALUE);
			waiting.advance(Duration.ofMillis(10));
			writes++;
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(writes).as("writes at 20 a second before it tripped").isLessThan(200);
		assertThat(breaker.status().detail())
			.contains("sampled compressions in the last 10 s, less their wait for a CPU,");
	}

	@Test
	void aSaturatedHostDegradesToAFasterLevelOnlyWhenAskedAndNeverToPlain() {
		this.ticker.step(FAST);
		this.ticker.hostCpuLoad(1.0);
		CompressionBreaker off = breaker(BreakerSettings.defaults());
		paced(compressor(ZSTD_19, off), 20, 400);
		assertThat(off.status().state()).as("off by default").isEqualTo(BreakerState.CLOSED);
		CompressionBreaker breaker = breaker(
				BreakerSettings.builder().hostCpuThreshold(0.9).fallback(BreakerSettings.Fallback.PLAIN).build());
		ValueCompressor compressor = compressor(ZSTD_19, breaker);
		this.ticker.hostCpuLoad(0.95);
		paced(compressor, 20, 80);
		// one reading below the threshold in the window keeps it closed
		this.ticker.hostCpuLoad(0.5);
		paced(compressor, 20, 20);
		this.ticker.hostCpuLoad(0.95);
		paced(compressor, 20, 100);
		assertThat(breaker.status().state()).as("a dip 5 s ago").isEqualTo(BreakerState.CLOSED);
		int writes = 0;
		while (breaker.status().state() == BreakerState.CLOSED && writes < 200) {
			paced(compressor, 20, 1);
			writes++;
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(breaker.status().detail()).contains("host CPU load at or over 90%", "the last 95%",
				"compressing at zstd 1");
		assertThat(compressor.compress(VALUE)).isEqualTo(encoded(ZSTD_19.toBuilder().level(1).build()));
	}

	@Test
	void largeValuesMayTakeLongerInProportionToTheirSize() {
		CompressionBreaker breaker = breaker(BreakerSettings.defaults());
		this.ticker.step(Duration.ZERO);
		int mebibyte = 1 << 20;
		// 10 ms + 50 ms per MiB: a 1 MiB value may take 60 ms
		for (int i = 0; i < 40; i++) {
			long start = breaker.now();
			breaker.onCompressed(breaker.admit(), Algorithm.ZSTD, 3, mebibyte, start, start + 59_000_000L,
					CompressionBreaker.NOT_MEASURED, CompressionBreaker.NOT_MEASURED);
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
		for (int i = 0; i < 40; i++) {
			long start = breaker.now();
			breaker.onCompressed(breaker.admit(), Algorithm.ZSTD, 3, mebibyte, start, start + 61_000_000L,
					CompressionBreaker.NOT_MEASURED, CompressionBreaker.NOT_MEASURED);
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.DEGRADED);
		assertThat(breaker.status().detail()).contains("took longer than 10 ms plus 50 ms per MiB");
	}

	@Test
	void aBusyNeighbourDoesNotTripTheBreaker() {
		CompressionBreaker breaker = breaker(BreakerSettings.defaults());
		ValueCompressor compressor = compressor(ZSTD_19.toBuilder().level(3).build(), breaker);
		this.ticker.costs(Duration.ofNanos(1200_000), Duration.ofNanos(1000_000));
		// a third of the writes wait far over budget for a CPU, and two costly samples
		// stand out
		for (int i = 0; i < 2000; i++) {
			this.ticker.step((i % 3 == 0) ? Duration.ofMillis(40) : FAST);
			if (i == 500 || i == 520) {
				this.ticker.costs(Duration.ofMillis(50), Duration.ofNanos(1000_000));
			}
			paced(compressor, 100, 1);
			this.ticker.costs(Duration.ofNanos(1200_000), Duration.ofNanos(1000_000));
		}
		assertThat(breaker.status().state()).isEqualTo(BreakerState.CLOSED);
		assertThat(this.stats.breakerTrips(FallbackReason.SLOW)).isZero();
		assertThat(this.stats.writes(WriteOutcome.COMPRESSED)).isEqualTo(2000);
	}

	@Test
	void costIsSampledAtMostTwoHundredTimesAWindowAndNeverForTheFastestLevel() {
		CompressionBreaker breaker = breaker(BreakerSettings.defaults());
		this.ticker.step(Duration.ZERO);
		long now = breaker.now();
		assertThat(breaker.sampleCost(Admission.NORMAL, Algorithm.ZSTD, 3, now)).isTrue();
		assertThat(breaker.sampleCost(Admission.NORMAL, Algorithm.ZSTD, 3, now + 49_000_000L)).isFalse();
		assertThat(breaker.sampleCost(Admission.NORMAL, Algorithm.ZSTD, 3, now + 50_000_000L)).isTrue();
		assertThat(breaker.sampleCost(Admission.NORMAL, Algorithm.ZSTD, 1, now + 200_000_000L))
			.as("the fastest level costs 1× itself")
			.isFalse();
		assertThat(breaker.sampleCost(Admission.NORMAL, Algorithm.LZ4, 0, now + 300_000_000L)).isFalse();
		assertThat(breaker.sampleCost(Admission.PLAIN, Algorithm.ZSTD, 3, now + 400_000_000L)).isFalse();
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
		// open: nothing is compressed, not even by a working codec, until the cool-down
		// ends
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
	@CsvSource({ "zstd, 19, 1", "zstd, 3, 1", "zstd, 2, 1", "zstd, 0, 1", "zstd, 1, -1", "zstd, -1, none", "lz4, 17, 0",
			"lz4, 1, 0", "lz4, 0, none", "gzip, 9, 1", "gzip, 6, 1", "gzip, 1, none", "deflate, 6, 1",
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
						// alternate slow and fast phases so that the breaker keeps
						// tripping and closing
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
		assertThat(this.stats.fallbacks(FallbackReason.SLOW))
			.isGreaterThanOrEqualTo(this.stats.writes(WriteOutcome.SKIPPED));
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

	/**
	 * A zstd 19 policy whose changes the breaker hears of, as the auto-configuration
	 * wires it.
	 */
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

	/** Write at a steady rate: each write starts 1/rate after the previous one. */
	private void paced(ValueCompressor compressor, int perSecond, int count) {
		for (int i = 0; i < count; i++) {
			long before = this.ticker.peek();
			compressor.compress(VALUE);
			long spent = this.ticker.peek() - before;
			this.ticker.advance(Duration.ofNanos(Math.max(0, 1_000_000_000L / perSecond - spent)));
		}
	}

	private void slowWrite(ValueCompressor compressor) {
		this.ticker.step(SLOW);
		compressor.compress(VALUE);
		this.ticker.step(FAST);
	}

	/**
	 * What a compressor without a breaker stores for {@link #VALUE} under a policy
	 * (deterministic).
	 */
	private static byte[] encoded(CompressionPolicy policy) {
		return new ValueCompressor(new CompressionPolicyHolder(policy), new CodecRegistry(), new CompressionStats())
			.compress(VALUE);
	}

}
