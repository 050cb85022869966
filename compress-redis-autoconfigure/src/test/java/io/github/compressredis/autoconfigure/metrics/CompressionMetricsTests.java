package io.github.compressredis.autoconfigure.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.compressredis.autoconfigure.BootAutoConfigurations;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.autoconfigure.TestPayloads;
import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link CompressionMetrics}: meters move with the values written and read
 * through a {@link ValueCompressor}, and every tag is bounded.
 */
class CompressionMetricsTests {

	private static final byte[] LARGE = TestPayloads.utf8(TestPayloads.json(8192));

	private static final byte[] SMALL = TestPayloads.utf8("{\"id\":1}");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CompressRedisAutoConfiguration.class,
				CompressRedisMetricsAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.metrics()));

	private final CompressionPolicyHolder policies = new CompressionPolicyHolder(CompressionPolicy.defaults(),
			PolicySource.PROPERTIES);

	private final CompressionStats stats = new CompressionStats();

	private final ValueCompressor compressor = new ValueCompressor(this.policies, new CodecRegistry(), this.stats);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void writeMetersMoveWithEachOutcome() {
		bind();
		assertThat(writes("compressed")).isZero();
		byte[] stored = this.compressor.compress(LARGE);
		this.compressor.compress(SMALL);
		this.compressor.compress(SMALL);
		assertThat(writes("compressed")).isEqualTo(1);
		assertThat(writes("too-small")).isEqualTo(2);
		assertThat(writes("not-worth-it")).isZero();
		assertThat(
				this.registry.get("redis.compression.compressed.writes").tag("codec", "zstd").functionCounter().count())
			.isEqualTo(1);
		assertThat(
				this.registry.get("redis.compression.compressed.writes").tag("codec", "lz4").functionCounter().count())
			.isZero();
		assertThat(stored.length).isLessThan(LARGE.length);
	}

	@Test
	void readMetersCountCompressedReadsByCodecAndPlainReads() {
		bind();
		byte[] stored = this.compressor.compress(LARGE);
		assertThat(this.compressor.decompress(stored)).isEqualTo(LARGE);
		assertThat(this.compressor.decompress(stored)).isEqualTo(LARGE);
		assertThat(this.compressor.decompress(SMALL)).isEqualTo(SMALL);
		assertThat(reads("zstd")).isEqualTo(2);
		assertThat(reads("plain")).isEqualTo(1);
		assertThat(reads("lz4")).isZero();
		assertThat(this.registry.get("redis.compression.decompress").tag("codec", "zstd").timer().count()).isEqualTo(2);
		assertThat(this.registry.get("redis.compression.read.bytes").tag("stage", "original").functionCounter().count())
			.isEqualTo(2.0 * LARGE.length + SMALL.length);
		assertThat(this.registry.get("redis.compression.read.bytes").tag("stage", "stored").functionCounter().count())
			.isEqualTo(2.0 * stored.length + SMALL.length);
	}

	@Test
	void checksumMismatchIsCountedAsAReadFailure() {
		bind();
		byte[] stored = this.compressor.compress(LARGE);
		// the last header byte is the low byte of the CRC-32C of the original bytes
		stored[WireFormat.headerLength(LARGE.length, 0, true) - 1] ^= 0x5A;
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> this.compressor.decompress(stored))
			.withMessageContaining("checksum-mismatch");
		assertThat(this.registry.get("redis.compression.read.failures")
			.tag("reason", "checksum-mismatch")
			.functionCounter()
			.count()).isEqualTo(1);
		assertThat(
				this.registry.get("redis.compression.read.failures").tag("reason", "corrupt").functionCounter().count())
			.isZero();
		assertThat(reads("zstd")).isZero();
	}

	@Test
	void writtenBytesAreCountedBeforeAndAfterCompressionInBytes() {
		bind();
		byte[] stored = this.compressor.compress(LARGE);
		this.compressor.compress(SMALL);
		var original = this.registry.get("redis.compression.written.bytes").tag("stage", "original").functionCounter();
		var written = this.registry.get("redis.compression.written.bytes").tag("stage", "stored").functionCounter();
		assertThat(original.count()).isEqualTo(LARGE.length + SMALL.length);
		assertThat(written.count()).isEqualTo(stored.length + SMALL.length);
		assertThat(original.getId().getBaseUnit()).isEqualTo(BaseUnits.BYTES);
		assertThat(written.getId().getBaseUnit()).isEqualTo(BaseUnits.BYTES);
	}

	@Test
	void ratioIsRecordedForEachCompressedValueOnly() {
		bind();
		byte[] stored = this.compressor.compress(LARGE);
		this.compressor.compress(SMALL);
		var ratio = this.registry.get("redis.compression.ratio").summary();
		assertThat(ratio.count()).isEqualTo(1);
		assertThat(ratio.totalAmount()).isCloseTo((double) stored.length / LARGE.length, within(1e-9));
		assertThat(ratio.max()).isLessThan(0.5);
	}

	@Test
	void compressTimerCountsCompressionAttemptsByCodec() {
		bind();
		this.compressor.compress(LARGE);
		this.compressor.compress(SMALL);
		assertThat(this.registry.get("redis.compression.compress").tag("codec", "zstd").timer().count()).isEqualTo(1);
		this.policies.update(CompressionPolicy.builder().algorithm(Algorithm.LZ4).build(), PolicySource.API);
		this.compressor.compress(LARGE);
		assertThat(this.registry.get("redis.compression.compress").tag("codec", "zstd").timer().count()).isEqualTo(1);
		assertThat(this.registry.get("redis.compression.compress").tag("codec", "lz4").timer().count()).isEqualTo(1);
	}

	@Test
	void policyVersionGaugeFollowsPolicyChanges() {
		bind();
		assertThat(this.registry.get("redis.compression.policy.version").gauge().value()).isEqualTo(1);
		this.policies.update(CompressionPolicy.builder().algorithm(Algorithm.LZ4).build(), PolicySource.API);
		assertThat(this.registry.get("redis.compression.policy.version").gauge().value()).isEqualTo(2);
		// an equal policy is not a change
		this.policies.update(CompressionPolicy.builder().algorithm(Algorithm.LZ4).build(), PolicySource.API);
		assertThat(this.registry.get("redis.compression.policy.version").gauge().value()).isEqualTo(2);
	}

	@Test
	void everyTagValueComesFromABoundedSet() {
		bind();
		this.compressor.compress(LARGE);
		this.compressor.compress(SMALL);
		this.compressor.decompress(this.compressor.compress(LARGE));
		Set<String> codecs = tags(Algorithm.values(), Algorithm::tag);
		Set<String> stages = Set.of("original", "stored");
		// meter name -> tag key -> the enum's tags
		Map<String, Map<String, Set<String>>> enums = Map.of("redis.compression.writes",
				Map.of("outcome", tags(WriteOutcome.values(), WriteOutcome::tag)),
				"redis.compression.compressed.writes", Map.of("codec", codecs), "redis.compression.reads",
				Map.of("codec", union(codecs, Set.of("plain"))), "redis.compression.compress",
				Map.of("target", Set.of("default"), "error", Set.of("none")), "redis.compression.decompress",
				Map.of("outcome", Set.of("decoded")), "redis.compression.read.failures",
				Map.of("reason", tags(DecodeFault.values(), DecodeFault::tag)), "redis.compression.written.bytes",
				Map.of("stage", stages), "redis.compression.read.bytes", Map.of("stage", stages));
		Map<String, Set<String>> seen = new HashMap<>();
		assertThat(this.registry.getMeters()).isNotEmpty();
		for (Meter meter : this.registry.getMeters()) {
			String name = meter.getId().getName();
			assertThat(name).startsWith("redis.compression.");
			// Micrometer derives the published percentiles as gauges of its own, tagged
			// 'phi'
			boolean percentile = name.endsWith(".percentile");
			String base = percentile ? name.substring(0, name.length() - ".percentile".length()) : name;
			if (!percentile) {
				assertThat(meter.getId().getDescription()).as(name).isNotBlank();
			}
			for (Tag tag : meter.getId().getTags()) {
				if (percentile && tag.getKey().equals("phi")) {
					continue;
				}
				Set<String> allowed = enums.getOrDefault(base, Map.of()).get(tag.getKey());
				if (allowed != null) {
					assertThat(allowed).as(meter.getId().toString()).contains(tag.getValue());
				}
				// any other tag is an enum's lower-case tag too, never data
				assertThat(tag.getValue()).as(meter.getId().toString()).matches("[a-z0-9]+(-[a-z0-9]+)*");
				seen.computeIfAbsent(base + " " + tag.getKey(), (key) -> new HashSet<>()).add(tag.getValue());
			}
		}
		enums.forEach((name, keys) -> keys
			.forEach((key, values) -> assertThat(seen.get(name + " " + key)).as(name + " " + key).isEqualTo(values)));
		seen.forEach((key, values) -> assertThat(values).as(key).hasSizeLessThanOrEqualTo(16));
		assertThat(this.registry.find("redis.compression.writes").tag("outcome", "plain").functionCounter()).isNull();
	}

	@Test
	void metersAreBoundToTheApplicationMeterRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CompressionMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(ValueCompressor.class).compress(LARGE);
			assertThat(registry.get("redis.compression.writes").tag("outcome", "compressed").functionCounter().count())
				.isEqualTo(1);
			assertThat(registry.get("redis.compression.compress").tag("codec", "zstd").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void noMetersAreBoundWhenCompressionIsDisabled() {
		this.contextRunner.withPropertyValues("compress.redis.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(CompressionMetrics.class);
			assertThat(context.getBean(MeterRegistry.class).find("redis.compression.writes").meter()).isNull();
		});
	}

	@Test
	void everyBoundRegistryGetsEveryMeterAndEachCallIsRecordedOncePerRegistry() {
		SimpleMeterRegistry second = new SimpleMeterRegistry();
		CompositeMeterRegistry composite = new CompositeMeterRegistry();
		SimpleMeterRegistry third = new SimpleMeterRegistry();
		composite.add(third);
		MicrometerCompressionObserver observer = new MicrometerCompressionObserver(null, null);
		this.stats.setObserver(observer);
		CompressionMetrics metrics = new CompressionMetrics(this.stats, this.policies, observer);
		metrics.bindTo(this.registry);
		metrics.bindTo(second);
		metrics.bindTo(composite);
		// binding twice to the same registry adds nothing
		metrics.bindTo(second);
		this.compressor.decompress(this.compressor.compress(LARGE));
		for (MeterRegistry registry : new MeterRegistry[] { this.registry, second, third }) {
			assertThat(registry.get("redis.compression.compress").tag("codec", "zstd").timer().count()).isEqualTo(1);
			assertThat(registry.get("redis.compression.decompress").tag("codec", "zstd").timer().count()).isEqualTo(1);
			assertThat(registry.get("redis.compression.ratio").summary().count()).isEqualTo(1);
			assertThat(registry.get("redis.compression.writes").tag("outcome", "compressed").functionCounter().count())
				.isEqualTo(1);
		}
	}

	@Test
	void aSecondObserverIsRefusedInsteadOfSilentlyDisconnectingTheFirst() {
		bind();
		MicrometerCompressionObserver other = new MicrometerCompressionObserver(null, null);
		assertThatIllegalStateException().isThrownBy(() -> this.stats.setObserver(other))
			.withMessageContaining("already have an observer");
		this.compressor.compress(LARGE);
		assertThat(this.registry.get("redis.compression.compress").tag("codec", "zstd").timer().count()).isEqualTo(1);
	}

	@Test
	void timersAreTaggedWithTheTargetCodecAndOutcome() {
		bind();
		CompressionStats part = new CompressionStats(this.stats, "template:orders");
		ValueCompressor target = new ValueCompressor(this.policies, new CodecRegistry(), part);
		target.decompress(target.compress(LARGE));
		this.compressor.compress(LARGE);
		assertThat(this.registry.get("redis.compression.compress")
			.tags("target", "template:orders", "codec", "zstd", "outcome", "compressed", "error", "none")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("redis.compression.compress").tags("target", "default").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get("redis.compression.decompress")
			.tags("target", "template:orders", "codec", "zstd", "outcome", "decoded")
			.timer()
			.count()).isEqualTo(1);
		// the counters add up the parts in the parent, counted once
		assertThat(writes("compressed")).isEqualTo(2);
	}

	@Test
	void serviceLevelObjectivesArePublishedAsBucketsOfEveryTargetsTimers() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		prometheus.config().meterFilter(new CompressionMeterFilter(Duration.ofMillis(2), Duration.ofMillis(3)));
		MicrometerCompressionObserver observer = new MicrometerCompressionObserver(null, null);
		this.stats.setObserver(observer);
		new CompressionMetrics(this.stats, this.policies, observer).bindTo(prometheus);
		CompressionStats part = new CompressionStats(this.stats, "session");
		ValueCompressor target = new ValueCompressor(this.policies, new CodecRegistry(), part);
		target.decompress(target.compress(LARGE));
		this.compressor.decompress(this.compressor.compress(LARGE));
		String scrape = prometheus.scrape();
		// the bucket counts depend on this machine's speed: only their presence is
		// asserted
		assertThat(scrape)
			.containsPattern(
					"redis_compression_decompress_seconds_bucket\\{[^}]*target=\"session\",le=\"0\\.003\"\\} \\d")
			.containsPattern(
					"redis_compression_decompress_seconds_bucket\\{[^}]*target=\"default\",le=\"0\\.003\"\\} \\d")
			.containsPattern(
					"redis_compression_compress_seconds_bucket\\{[^}]*target=\"session\",le=\"0\\.002\"\\} \\d")
			.containsPattern(
					"redis_compression_decompress_seconds_bucket\\{[^}]*target=\"session\",le=\"\\+Inf\"\\} 1");
		// without objectives there are no buckets, only the percentiles
		PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		plain.config().meterFilter(new CompressionMeterFilter(null, null));
		observer.addRegistry(plain);
		this.compressor.decompress(this.compressor.compress(LARGE));
		assertThat(plain.scrape()).doesNotContain("redis_compression_decompress_seconds_bucket")
			.containsPattern("redis_compression_decompress_seconds\\{[^}]*quantile=\"0\\.99\"");
	}

	@Test
	void sloPropertiesReachTheTimersOfTheApplicationRegistry() {
		this.contextRunner.withPropertyValues("compress.redis.slo.decompress=3ms").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			ValueCompressor compressor = context.getBean(ValueCompressor.class);
			compressor.decompress(compressor.compress(LARGE));
			Timer timer = registry.get("redis.compression.decompress").tag("codec", "zstd").timer();
			assertThat(timer.takeSnapshot().histogramCounts())
				.extracting((bucket) -> bucket.bucket(TimeUnit.MILLISECONDS))
				.containsExactly(3.0);
		});
	}

	private void bind() {
		MicrometerCompressionObserver observer = new MicrometerCompressionObserver(null, null);
		this.stats.setObserver(observer);
		new CompressionMetrics(this.stats, this.policies, observer).bindTo(this.registry);
	}

	private double writes(String outcome) {
		return this.registry.get("redis.compression.writes").tag("outcome", outcome).functionCounter().count();
	}

	private double reads(String codec) {
		return this.registry.get("redis.compression.reads").tag("codec", codec).functionCounter().count();
	}

	private static <E> Set<String> tags(E[] values, java.util.function.Function<E, String> tag) {
		return Arrays.stream(values).map(tag).collect(Collectors.toSet());
	}

	private static Set<String> union(Set<String> first, Set<String> second) {
		return java.util.stream.Stream.concat(first.stream(), second.stream()).collect(Collectors.toSet());
	}

}
