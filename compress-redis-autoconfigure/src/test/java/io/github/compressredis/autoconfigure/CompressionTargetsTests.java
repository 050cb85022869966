package io.github.compressredis.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.policy.PolicyPatch;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.resilience.BreakerSettings;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CompressionTargets}: each target's policy derived through the
 * pipeline, in version order, with its refusals, breaker and statistics of its own.
 */
class CompressionTargetsTests {

	private static final CompressionPolicy ZSTD_9 = CompressionPolicy.builder().level(9).build();

	private final CodecRegistry codecs = new CodecRegistry();

	private final CompressionPolicyHolder global = new CompressionPolicyHolder(ZSTD_9, PolicySource.PROPERTIES);

	private final CompressionStats stats = new CompressionStats();

	private final PolicyPipeline pipeline = new PolicyPipeline(new PolicyValidator(this.codecs::isAvailable), null);

	private final CompressionTargets targets = new CompressionTargets(
			new ValueCompressor(this.global, this.codecs, this.stats), this.pipeline,
			(name, targetStats) -> new CompressionBreaker(BreakerSettings.defaults(), targetStats), null);

	@AfterEach
	void closeCodecs() {
		this.codecs.close();
	}

	@Test
	void overrideNamingTheGlobalAlgorithmKeepsTheGlobalLevel() {
		ValueCompressor compressor = this.targets.compressor("cache:products",
				PolicyPatch.builder().algorithm(Algorithm.ZSTD).build());
		assertThat(compressor.getPolicies().policy()).isEqualTo(ZSTD_9);
	}

	@Test
	void overrideNamingAnotherAlgorithmTakesItsDefaultLevel() {
		ValueCompressor compressor = this.targets.compressor("cache:products",
				PolicyPatch.builder().algorithm(Algorithm.LZ4).build());
		assertThat(compressor.getPolicies().policy().level()).isEqualTo(Algorithm.LZ4.defaultLevel());
	}

	@Test
	void targetFollowsEveryGlobalChangeWithItsOverride() {
		ValueCompressor compressor = this.targets.compressor("cache:products",
				PolicyPatch.builder().minSize(1024L).build());
		this.global.update(ZSTD_9.toBuilder().level(5).checksum(false).build(), PolicySource.NACOS);
		CompressionTargets.Target target = this.targets.target("cache:products");
		assertThat(compressor.getPolicies().policy())
			.isEqualTo(ZSTD_9.toBuilder().level(5).checksum(false).minSize(1024).build());
		assertThat(target.derivedFrom()).isEqualTo(2);
		assertThat(target.policies().current().source()).isEqualTo(PolicySource.NACOS);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void globalChangeThatMakesAnOverrideInvalidStillAppliesAndTheTargetKeepsItsPolicy(CapturedOutput output) {
		ValueCompressor products = this.targets.compressor("cache:products", PolicyPatch.builder().level(15).build());
		ValueCompressor sessions = this.targets.compressor("session");
		CompressionPolicy gzip = CompressionPolicy.builder().algorithm(Algorithm.GZIP).build();
		this.global.update(gzip, PolicySource.NACOS);
		assertThat(this.global.policy()).isEqualTo(gzip);
		assertThat(sessions.getPolicies().policy()).isEqualTo(gzip);
		CompressionTargets.Target target = this.targets.target("cache:products");
		assertThat(products.getPolicies().policy()).isEqualTo(ZSTD_9.toBuilder().level(15).build());
		assertThat(target.policies().refusedCount()).isOne();
		assertThat(target.derivedFrom()).isOne();
		assertThat(target.lastRefused().reason()).isEqualTo("global policy version 2 with the override of target "
				+ "'cache:products' (level=15): 'level' 15 is out of range for gzip (0 to 9)");
		assertThat(this.global.refusedCount()).isZero();
		assertThat(output).contains("WARN")
			.contains("Target 'cache:products' keeps its policy version 1")
			.contains("'level' 15 is out of range for gzip (0 to 9)");
	}

	@Test
	void overrideThatIsInvalidFromTheStartIsRefusedNamingTheTarget() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.targets.compressor("cache:products", PolicyPatch.builder().level(99).build()))
			.withMessage("Invalid policy override of target 'cache:products' (level=99): "
					+ "'level' 99 is out of range for zstd (-22 to 22)");
	}

	@Test
	void eachTargetHasItsOwnBreakerAndStatisticsThatAddUpInTheShared() {
		ValueCompressor a = this.targets.compressor("template:a");
		ValueCompressor b = this.targets.compressor("template:b");
		assertThat(a.getBreaker()).isNotNull().isNotSameAs(b.getBreaker());
		a.compress(TestPayloads.utf8(TestPayloads.json(4096)));
		assertThat(this.targets.target("template:a").stats().writes(WriteOutcome.COMPRESSED)).isOne();
		assertThat(this.targets.target("template:b").stats().writes()).isZero();
		assertThat(this.stats.writes(WriteOutcome.COMPRESSED)).isOne();
	}

	@Test
	void sameTargetIsCreatedOnce() {
		assertThat(this.targets.compressor("session")).isSameAs(this.targets.compressor("session"));
		assertThat(this.targets.targets()).hasSize(1);
	}

	@Test
	void manyConcurrentGlobalChangesNeverLeaveADerivedPolicyStale() throws Exception {
		PolicyPatch override = PolicyPatch.builder().minSize(512L).build();
		ValueCompressor derived = this.targets.compressor("cache:products", override);
		int threads = 8;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			for (int round = 0; round < 200; round++) {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<?>> updates = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					int level = 1 + ((round * threads + i) % 19);
					updates.add(executor.submit(() -> {
						start.await();
						return this.global.update(ZSTD_9.toBuilder().level(level).build(), PolicySource.NACOS);
					}));
				}
				start.countDown();
				for (Future<?> update : updates) {
					update.get(30, TimeUnit.SECONDS);
				}
				assertThat(derived.getPolicies().policy()).as("round %d", round)
					.isEqualTo(this.pipeline.resolve(this.global.policy(), override));
				assertThat(this.targets.target("cache:products").derivedFrom()).as("round %d", round)
					.isEqualTo(this.global.current().version());
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

}
