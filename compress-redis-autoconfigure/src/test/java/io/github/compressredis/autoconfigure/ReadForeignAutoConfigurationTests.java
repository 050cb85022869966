package io.github.compressredis.autoconfigure;

import java.util.HexFormat;

import io.github.compressredis.autoconfigure.metrics.CompressRedisMetricsAutoConfiguration;
import io.github.compressredis.autoconfigure.metrics.ForeignFormatMetrics;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.foreign.ForeignFormat;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code compress.redis.read-foreign}: off by default, and when set, every compressing
 * serializer reads the named formats.
 */
class ReadForeignAutoConfigurationTests {

	/** GLIDE, lz4 backend, the three bytes "abc" (FORMAT.md, "Foreign formats"). */
	private static final byte[] GLIDE = HexFormat.of().parseHex("00010200020300000030616263");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataRedis(),
				CompressRedisAutoConfiguration.class, CompressRedisMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	@Test
	void foreignFormatsAreNotReadByDefault() {
		this.contextRunner.run((context) -> {
			ValueCompressor compressor = context.getBean(ValueCompressor.class);
			assertThat(compressor.getForeignFormats()).isNull();
			assertThat(compressor.decompress(GLIDE)).isEqualTo(GLIDE);
			assertThat(context).doesNotHaveBean(ForeignFormatMetrics.class);
		});
	}

	@Test
	void namedFormatsAreReadByEverySerializer() {
		this.contextRunner.withPropertyValues("compress.redis.read-foreign=glide, zstd-frame, lettuce-deflate")
			.run((context) -> {
				ValueCompressor compressor = context.getBean(ValueCompressor.class);
				assertThat(compressor.getForeignFormats().enabled()).containsExactlyInAnyOrder(ForeignFormat.GLIDE,
						ForeignFormat.ZSTD_FRAME, ForeignFormat.LETTUCE_DEFLATE);
				RedisSerializer<byte[]> serializer = context.getBean(CompressingSerializerFactory.class)
					.wrap(RedisSerializer.byteArray(), "template:test");
				assertThat(serializer.deserialize(GLIDE)).isEqualTo("abc".getBytes());
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(ForeignFormatMetrics.class).bindTo(registry);
				assertThat(registry.get("redis.compression.foreign.reads")
					.tag("format", "glide")
					.functionCounter()
					.count()).isEqualTo(1);
				assertThat(registry.find("redis.compression.foreign.reads").tag("format", "gzip").functionCounter())
					.isNull();
			});
	}

}
