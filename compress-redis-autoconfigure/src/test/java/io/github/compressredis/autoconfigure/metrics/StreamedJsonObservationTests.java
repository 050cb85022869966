package io.github.compressredis.autoconfigure.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.compressredis.autoconfigure.BootAutoConfigurations;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.autoconfigure.CompressRedisResilienceAutoConfiguration;
import io.github.compressredis.autoconfigure.CompressingSerializerFactory;
import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.json.JsonCompressingRedisSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A big JSON value written and read through the streaming serializer on a named target's
 * compressor is observed, timed and counted in that target as any other value is, and a
 * damaged one ends its Observation with its fault.
 */
class StreamedJsonObservationTests {

	private static final String TARGET = "cache:products";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(BootAutoConfigurations.observation(), CompressRedisAutoConfiguration.class,
						CompressRedisResilienceAutoConfiguration.class, CompressRedisMetricsAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.metrics()))
		.withUserConfiguration(RecordingConfiguration.class);

	@Test
	void aStreamedValueIsObservedAndCountedInItsTarget() {
		this.contextRunner.run((context) -> {
			ValueCompressor compressor = context.getBean(CompressingSerializerFactory.class).compressorFor(TARGET);
			JsonCompressingRedisSerializer<Object> json = JsonCompressingRedisSerializer
				.json(JsonMapper.builder().build(), compressor);
			List<String> value = records(1024 * 1024);
			byte[] stored = json.serialize(value);
			assertThat(WireFormat.parse(stored).originalLength()).isGreaterThan(ValueCompressor.STREAMING_THRESHOLD);
			assertThat(json.deserialize(stored)).isEqualTo(value);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("redis.compression.compress")
				.tags("target", TARGET, "codec", "zstd", "outcome", "compressed")
				.timer()
				.count()).isEqualTo(1);
			assertThat(registry.get("redis.compression.decompress")
				.tags("target", TARGET, "codec", "zstd", "outcome", "decoded")
				.timer()
				.count()).isEqualTo(1);
			assertThat(registry.get("redis.compression.target.writes")
				.tags("target", TARGET, "outcome", "compressed")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(context.getBean(RecordingHandler.class).stopped).containsExactly(
					"redis.compression.compress " + TARGET + " compressed",
					"redis.compression.decompress " + TARGET + " decoded");
		});
	}

	@Test
	void aDamagedStreamedValueEndsItsObservationWithItsFault() {
		this.contextRunner.run((context) -> {
			ValueCompressor compressor = context.getBean(CompressingSerializerFactory.class).compressorFor(TARGET);
			JsonCompressingRedisSerializer<Object> json = JsonCompressingRedisSerializer
				.json(JsonMapper.builder().build(), compressor);
			byte[] stored = json.serialize(records(1024 * 1024));
			// the checksum's last byte: the payload decodes into the parser, then fails
			// the check
			stored[WireFormat.parse(stored).payloadOffset() - 1] ^= 0x5A;
			assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> json.deserialize(stored))
				.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(DecodeFault.CHECKSUM_MISMATCH));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("redis.compression.decompress")
				.tags("target", TARGET, "codec", "zstd", "outcome", "checksum-mismatch")
				.timer()
				.count()).isEqualTo(1);
			assertThat(context.getBean(RecordingHandler.class).stopped).last()
				.isEqualTo("redis.compression.decompress " + TARGET + " checksum-mismatch");
		});
	}

	private static List<String> records(int size) {
		List<String> records = new java.util.ArrayList<>();
		for (int i = 0, total = 0; total < size; i++) {
			String record = "{\"id\":" + i + ",\"name\":\"product " + (i * 7919 % 100_000) + "\",\"price\":" + (i % 997)
					+ "}";
			records.add(record);
			total += record.length() + 12;
		}
		return records;
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingConfiguration {

		@Bean
		RecordingHandler recordingHandler() {
			return new RecordingHandler();
		}

	}

	/** Records each compression Observation stopped: name, target and outcome. */
	static final class RecordingHandler implements ObservationHandler<CompressionObservationContext> {

		final List<String> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(CompressionObservationContext context) {
			this.stopped.add(context.getName() + " " + context.getTarget() + " " + context.getOutcome());
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof CompressionObservationContext;
		}

	}

}
