package io.github.compressredis.core.internal.codec;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compressing a big value allocates its output and nothing of its size besides: the
 * scratch space comes from the bounded shared pool. Measured with the JVM's per-thread
 * allocation counter (bytes, not time), best of a few rounds so that a stray JIT or
 * class-loading allocation does not count.
 */
class LargeValueAllocationTests {

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	@ParameterizedTest
	@CsvSource({ "ZSTD, 3", "ZSTD, 1", "LZ4, 0", "GZIP, 6", "DEFLATE, 6" })
	void compressingAnEightMegabyteValueAllocatesLittleMoreThanItsOutput(Algorithm algorithm, int level) {
		byte[] value = json(8 * 1024 * 1024);
		try (CodecRegistry registry = new CodecRegistry()) {
			Codec codec = registry.codec(algorithm);
			long best = Long.MAX_VALUE;
			int outputLength = 0;
			for (int round = 0; round < 4; round++) {
				long before = THREADS.getCurrentThreadAllocatedBytes();
				byte[] output = codec.compress(value, level, 8, value.length);
				long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
				assertThat(output).isNotNull();
				outputLength = output.length;
				best = Math.min(best, allocated);
			}
			// the output array (with its 16-byte object header), and 1.1x + 128 B at most
			// in all
			assertThat(best).as("bytes allocated to compress %d bytes into %d", value.length, outputLength)
				.isGreaterThanOrEqualTo(outputLength)
				.isLessThanOrEqualTo((long) (outputLength * 1.1) + 128);
		}
	}

	@ParameterizedTest
	@CsvSource({ "ZSTD, 3", "LZ4, 0", "GZIP, 6", "DEFLATE, 6" })
	void decompressingAnEightMegabyteValueAllocatesTheOriginalAndLittleElse(Algorithm algorithm, int level) {
		byte[] value = json(8 * 1024 * 1024);
		try (CodecRegistry registry = new CodecRegistry()) {
			ValueCompressor compressor = new ValueCompressor(
					new CompressionPolicyHolder(
							CompressionPolicy.builder().algorithm(algorithm).level(level).checksum(true).build()),
					registry, new CompressionStats());
			byte[] stored = compressor.compress(value);
			assertThat(stored.length).isLessThan(value.length / 2);
			long best = Long.MAX_VALUE;
			for (int round = 0; round < 4; round++) {
				long before = THREADS.getCurrentThreadAllocatedBytes();
				byte[] original = compressor.decompress(stored);
				best = Math.min(best, THREADS.getCurrentThreadAllocatedBytes() - before);
				assertThat(original).hasSize(value.length);
			}
			assertThat(best).isLessThanOrEqualTo(value.length + 128L);
		}
	}

	/** Compressible JSON records, deterministic, of about {@code size} bytes. */
	static byte[] json(int size) {
		Random random = new Random(42);
		StringBuilder json = new StringBuilder(size + 200).append('[');
		while (json.length() < size - 200) {
			json.append("{\"id\":")
				.append(random.nextInt(1_000_000))
				.append(",\"name\":\"item-")
				.append(Integer.toString(random.nextInt(), 36))
				.append("\",\"price\":")
				.append(random.nextInt(10_000) / 100.0)
				.append(",\"tags\":[\"a")
				.append(random.nextInt(50))
				.append("\",\"b")
				.append(random.nextInt(50))
				.append("\"]},");
		}
		json.setLength(json.length() - 1);
		return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
	}

}
