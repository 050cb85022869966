package io.github.compressredis.core;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.codec.Codec;
import io.github.compressredis.core.policy.CompressionPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CompressingRedisSerializer#of} owns no native memory of its own, however often
 * it is called and whatever is done with what it returns.
 */
class CompressingRedisSerializerWrapTests {

	private static final byte[] VALUE = "{\"name\":\"Vila\",\"country\":\"AD\"}".repeat(40)
		.getBytes(StandardCharsets.UTF_8);

	@Test
	void fiveThousandWrapsThatEachWriteAndReadShareOneSetOfNativeCodecs() {
		CompressionPolicy policy = CompressionPolicy.builder().algorithm(Algorithm.ZSTD).build();
		Set<CodecRegistry> registries = Collections.newSetFromMap(new IdentityHashMap<>());
		Set<Codec> zstdCodecs = Collections.newSetFromMap(new IdentityHashMap<>());
		for (int i = 0; i < 5000; i++) {
			CompressingRedisSerializer<byte[]> serializer = CompressingRedisSerializer.of(RedisSerializer.byteArray(),
					policy);
			byte[] stored = serializer.serialize(VALUE);
			assertThat(stored).hasSizeLessThan(VALUE.length);
			assertThat(serializer.deserialize(stored)).isEqualTo(VALUE);
			CodecRegistry codecs = serializer.getCompressor().getCodecs();
			registries.add(codecs);
			zstdCodecs.add(codecs.codec(Algorithm.ZSTD));
		}
		// each codec owns a bounded pool of native contexts: one codec, one bounded pool
		assertThat(registries).hasSize(1);
		assertThat(zstdCodecs).hasSize(1);
	}

	@Test
	void closingTheCodecsOfOneWrapLeavesEveryOtherWrapWorking() {
		CompressionPolicy policy = CompressionPolicy.builder().algorithm(Algorithm.ZSTD).build();
		CompressingRedisSerializer<byte[]> closed = CompressingRedisSerializer.of(RedisSerializer.byteArray(), policy);
		CompressingRedisSerializer<byte[]> other = CompressingRedisSerializer.of(RedisSerializer.byteArray(), policy);
		closed.getCompressor().getCodecs().close();
		assertThat(other.deserialize(other.serialize(VALUE))).isEqualTo(VALUE);
		assertThat(closed.deserialize(closed.serialize(VALUE))).isEqualTo(VALUE);
	}

	@Test
	void ofWithoutAPolicyWritesWithTheDefaultOneAndReadsBack() {
		CompressingRedisSerializer<String> serializer = CompressingRedisSerializer.of(RedisSerializer.string());
		String value = new String(VALUE, StandardCharsets.UTF_8);
		byte[] stored = serializer.serialize(value);
		assertThat(stored).hasSizeLessThan(VALUE.length);
		assertThat(serializer.deserialize(stored)).isEqualTo(value);
		assertThat(serializer.getCompressor().getStats().compressedWrites(CompressionPolicy.defaults().algorithm()))
			.isOne();
	}

	@Test
	void ofWritesWithTheGivenPolicy() {
		CompressionPolicy lz4 = CompressionPolicy.builder().algorithm(Algorithm.LZ4).build();
		CompressingRedisSerializer<byte[]> serializer = CompressingRedisSerializer.of(RedisSerializer.byteArray(), lz4);
		serializer.serialize(VALUE);
		assertThat(serializer.getCompressor().getStats().compressedWrites(Algorithm.LZ4)).isOne();
	}

	@Test
	@SuppressWarnings("removal")
	void deprecatedWrapStillWritesWhatOfWrites() {
		CompressionPolicy policy = CompressionPolicy.builder().algorithm(Algorithm.ZSTD).build();
		CompressingRedisSerializer<byte[]> wrapped = CompressingRedisSerializer.wrap(RedisSerializer.byteArray(),
				policy);
		assertThat(wrapped.serialize(VALUE))
			.isEqualTo(CompressingRedisSerializer.of(RedisSerializer.byteArray(), policy).serialize(VALUE));
		assertThat(wrapped.getCompressor().getCodecs()).isSameAs(CodecRegistry.shared());
	}

}
