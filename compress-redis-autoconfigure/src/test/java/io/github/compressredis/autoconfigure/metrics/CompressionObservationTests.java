package io.github.compressredis.autoconfigure.metrics;

import java.util.Set;
import java.util.stream.Collectors;

import io.github.compressredis.autoconfigure.BootAutoConfigurations;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.autoconfigure.TestPayloads;
import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the compression Observations: with a meter observation handler the
 * Observation is the timer (the same name and tag keys the compressor records without
 * one, never a second meter), a value that cannot be read is observed with its fault, and
 * the property switches them off.
 */
class CompressionObservationTests {

	private static final byte[] LARGE = TestPayloads.utf8(TestPayloads.json(8192));

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.observation(),
				CompressRedisAutoConfiguration.class, CompressRedisMetricsAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.metrics()));

	private final CompressionPolicyHolder policies = new CompressionPolicyHolder(CompressionPolicy.defaults(),
			PolicySource.PROPERTIES);

	@Test
	void anObservationIsTheTimerWithTheTagsOfTheTimerRecordedWithoutOne() {
		SimpleMeterRegistry observed = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(observed));
		exercise(observed, observations);
		SimpleMeterRegistry direct = new SimpleMeterRegistry();
		exercise(direct, null);
		for (String name : new String[] { "redis.compression.compress", "redis.compression.decompress" }) {
			assertThat(observed.find(name).timers()).as(name).hasSize(1);
			assertThat(ids(observed, name)).as(name).isEqualTo(ids(direct, name));
			assertThat(observed.get(name).timer().count()).isEqualTo(1);
		}
	}

	@Test
	void aValueThatCannotBeReadIsObservedWithItsFault() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
		CompressionStats stats = new CompressionStats();
		MicrometerCompressionObserver observer = new MicrometerCompressionObserver(observations, null);
		stats.setObserver(observer);
		new CompressionMetrics(stats, this.policies, observer).bindTo(registry);
		ValueCompressor compressor = new ValueCompressor(this.policies, new CodecRegistry(), stats);
		byte[] stored = compressor.compress(LARGE);
		stored[WireFormat.headerLength(LARGE.length, 0, true) - 1] ^= 0x5A;
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> compressor.decompress(stored));
		assertThat(registry.get("redis.compression.decompress")
			.tags("outcome", "checksum-mismatch", "codec", "zstd", "target", "default")
			.timer()
			.count()).isEqualTo(1);
		assertThat(registry.get("redis.compression.read.failures")
			.tag("reason", "checksum-mismatch")
			.functionCounter()
			.count()).isEqualTo(1);
	}

	@Test
	void observationsAreOnWhenAnObservationRegistryExists() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(MicrometerCompressionObserver.class).isObserving()).isTrue();
			ValueCompressor compressor = context.getBean(ValueCompressor.class);
			compressor.decompress(compressor.compress(LARGE));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(
					registry.get("redis.compression.compress").tags("codec", "zstd", "error", "none").timer().count())
				.isEqualTo(1);
			assertThat(registry.find("redis.compression.compress").timers()).hasSize(1);
		});
	}

	@Test
	void thePropertySwitchesObservationsOffAndTheTimersStay() {
		this.contextRunner.withPropertyValues("compress.redis.observation.enabled=false").run((context) -> {
			assertThat(context.getBean(MicrometerCompressionObserver.class).isObserving()).isFalse();
			ValueCompressor compressor = context.getBean(ValueCompressor.class);
			compressor.compress(LARGE);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(
					registry.get("redis.compression.compress").tags("codec", "zstd", "error", "none").timer().count())
				.isEqualTo(1);
			assertThat(registry.find("redis.compression.compress.active").meters()).isEmpty();
		});
	}

	@Test
	void observationsDisabledThroughBootStillRecordTheTimersOnce() {
		this.contextRunner.withPropertyValues("management.observations.enable.redis.compression=false")
			.run((context) -> {
				ValueCompressor compressor = context.getBean(ValueCompressor.class);
				compressor.compress(LARGE);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("redis.compression.compress")
					.tags("codec", "zstd", "error", "none")
					.timer()
					.count()).isEqualTo(1);
				assertThat(registry.find("redis.compression.compress").timers()).hasSize(1);
			});
	}

	private void exercise(MeterRegistry registry, ObservationRegistry observations) {
		CompressionStats stats = new CompressionStats();
		MicrometerCompressionObserver observer = new MicrometerCompressionObserver(observations, null);
		stats.setObserver(observer);
		new CompressionMetrics(stats, this.policies, observer).bindTo(registry);
		ValueCompressor compressor = new ValueCompressor(this.policies, new CodecRegistry(), stats);
		compressor.decompress(compressor.compress(LARGE));
	}

	private static Set<Set<Tag>> ids(MeterRegistry registry, String name) {
		return registry.find(name)
			.timers()
			.stream()
			.map(Meter::getId)
			.map((id) -> Set.copyOf(id.getTags()))
			.collect(Collectors.toSet());
	}

}
