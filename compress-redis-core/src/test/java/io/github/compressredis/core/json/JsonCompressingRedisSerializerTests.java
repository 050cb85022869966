package io.github.compressredis.core.json;

import java.util.List;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.TestJson;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.SerializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The streaming JSON serializer writes the same format the byte-array path reads, reads
 * what the byte-array path writes, and reports damage as the format's fault, not as bad
 * JSON.
 */
class JsonCompressingRedisSerializerTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final CodecRegistry codecs = new CodecRegistry();

	private ValueCompressor compressor(Algorithm algorithm, int version, boolean checksum) {
		CompressionPolicy policy = CompressionPolicy.builder()
			.algorithm(algorithm)
			.level((algorithm == Algorithm.ZSTD) ? 3 : (algorithm == Algorithm.GZIP) ? 6 : 0)
			.checksum(checksum)
			.writeVersion(version)
			.build();
		return new ValueCompressor(new CompressionPolicyHolder(policy), this.codecs, new CompressionStats());
	}

	@ParameterizedTest
	@CsvSource({ "1, true", "1, false", "2, true", "2, false" })
	void streamedZstdWritesAreTheByteArrayPathsBytesAndReadBothWays(int version, boolean checksum) {
		ValueCompressor compressor = compressor(Algorithm.ZSTD, version, checksum);
		JsonCompressingRedisSerializer<Object> serializer = JsonCompressingRedisSerializer.json(this.mapper,
				compressor);
		List<String> value = TestJson.records(1024 * 1024);
		byte[] json = this.mapper.writeValueAsBytes(value);
		byte[] streamed = serializer.serialize(value);
		Header header = WireFormat.parse(streamed);
		assertThat(header.codecId()).isEqualTo(Algorithm.ZSTD.id());
		assertThat(header.version()).isEqualTo(version);
		assertThat(header.originalLength()).isEqualTo(json.length);
		// the byte-array path reads the streamed value
		assertThat(compressor.decompress(streamed)).isEqualTo(json);
		// within zstd's window (2 MB at level 3) the streamed frame is the one-shot
		// frame; beyond it
		// the two may differ by a fraction of a percent, equally valid (readers never
		// compare payloads)
		byte[] oneShot = compressor.compress(json);
		assertThat(streamed).isEqualTo(oneShot);
		// and the streaming reader reads the byte-array path's value
		assertThat(serializer.deserialize(oneShot)).isEqualTo(value);
		assertThat(compressor.getStats().writes(WriteOutcome.COMPRESSED)).isEqualTo(2);
	}

	@Test
	void aStreamedWriteNeverHoldsTheJsonTwice() {
		ValueCompressor compressor = compressor(Algorithm.ZSTD, 1, true);
		JsonCompressingRedisSerializer<Object> serializer = JsonCompressingRedisSerializer.json(this.mapper,
				compressor);
		List<String> value = TestJson.records(4 * 1024 * 1024);
		int jsonLength = this.mapper.writeValueAsBytes(value).length;
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
			.getThreadMXBean();
		long best = Long.MAX_VALUE;
		int storedLength = 0;
		for (int round = 0; round < 3; round++) {
			long before = threads.getCurrentThreadAllocatedBytes();
			storedLength = serializer.serialize(value).length;
			best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
		}
		// the JSON once, in chunks, and the payload twice (chunks, then the stored
		// array); the
		// byte-array path needs the JSON twice (Jackson's buffer, then its array) and a
		// scratch
		assertThat(best).isLessThan(jsonLength + (long) (2.2 * storedLength) + 256 * 1024).isLessThan(2L * jsonLength);
	}

	@ParameterizedTest
	@CsvSource({ "LZ4", "GZIP", "NONE" })
	void otherAlgorithmsTakeTheByteArrayPath(Algorithm algorithm) {
		ValueCompressor compressor = compressor(algorithm, 1, true);
		JsonCompressingRedisSerializer<Object> serializer = JsonCompressingRedisSerializer.json(this.mapper,
				compressor);
		List<String> value = TestJson.records(512 * 1024);
		byte[] stored = serializer.serialize(value);
		assertThat(stored).isEqualTo(compressor.compress(this.mapper.writeValueAsBytes(value)));
		assertThat(serializer.deserialize(stored)).isEqualTo(value);
	}

	@Test
	void smallValuesAndNullTakeTheByteArrayPath() {
		ValueCompressor compressor = compressor(Algorithm.ZSTD, 2, true);
		JsonCompressingRedisSerializer<Object> serializer = JsonCompressingRedisSerializer.json(this.mapper,
				compressor);
		List<String> value = TestJson.records(4096);
		byte[] stored = serializer.serialize(value);
		assertThat(stored).isEqualTo(compressor.compress(this.mapper.writeValueAsBytes(value)));
		assertThat(serializer.deserialize(stored)).isEqualTo(value);
		assertThat(serializer.serialize(null)).isEmpty();
		assertThat(serializer.deserialize(new byte[0])).isNull();
	}

	@Test
	void aDamagedPayloadIsTheFormatsFaultEvenWhenItAlsoBreaksTheJson() {
		ValueCompressor compressor = compressor(Algorithm.ZSTD, 1, true);
		JsonCompressingRedisSerializer<Object> serializer = JsonCompressingRedisSerializer.json(this.mapper,
				compressor);
		byte[] stored = serializer.serialize(TestJson.records(1024 * 1024));
		int flips = 0;
		for (int position = stored.length / 3; position < stored.length - 8; position += stored.length / 7) {
			byte[] damaged = stored.clone();
			damaged[position] ^= 0x10;
			assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> serializer.deserialize(damaged))
				.satisfies((ex) -> assertThat(ex.getFault()).isIn(DecodeFault.CORRUPT, DecodeFault.CHECKSUM_MISMATCH,
						DecodeFault.LENGTH_MISMATCH, DecodeFault.TRUNCATED));
			flips++;
		}
		assertThat(flips).isGreaterThanOrEqualTo(4);
	}

	@Test
	void aValueWhoseBytesCheckButAreNotJsonIsAJsonError() {
		ValueCompressor compressor = compressor(Algorithm.ZSTD, 2, true);
		JsonCompressingRedisSerializer<Object> serializer = JsonCompressingRedisSerializer.json(this.mapper,
				compressor);
		byte[] notJson = new byte[512 * 1024];
		java.util.Arrays.fill(notJson, (byte) 'x');
		notJson[0] = '[';
		byte[] stored = compressor.compress(notJson);
		assertThat(WireFormat.parse(stored).codecId()).isEqualTo(Algorithm.ZSTD.id());
		assertThatExceptionOfType(SerializationException.class).isThrownBy(() -> serializer.deserialize(stored))
			.isNotInstanceOf(CompressedValueException.class);
	}

	@Test
	void typedValuesRoundTrip() {
		ValueCompressor compressor = compressor(Algorithm.ZSTD, 1, true);
		JsonCompressingRedisSerializer<Catalog> serializer = JsonCompressingRedisSerializer.json(this.mapper,
				Catalog.class, compressor);
		Catalog catalog = new Catalog("products", TestJson.records(400 * 1024));
		byte[] stored = serializer.serialize(catalog);
		assertThat(WireFormat.parse(stored).originalLength())
			.isGreaterThanOrEqualTo(ValueCompressor.STREAMING_THRESHOLD);
		assertThat(serializer.deserialize(stored)).isEqualTo(catalog);
	}

	@Test
	void aSerializerWithAFixedPolicyStreamsToo() {
		JsonCompressingRedisSerializer<Catalog> serializer = JsonCompressingRedisSerializer.json(this.mapper,
				Catalog.class, CompressionPolicy.builder().writeVersion(2).build());
		Catalog catalog = new Catalog("fixed", TestJson.records(600 * 1024));
		byte[] stored = serializer.serialize(catalog);
		assertThat(WireFormat.parse(stored).version()).isEqualTo(2);
		assertThat(serializer.getCompressor().getStats().writes(WriteOutcome.COMPRESSED)).isOne();
		assertThat(serializer.deserialize(stored)).isEqualTo(catalog);
	}

	record Catalog(String name, List<String> items) {
	}

}
