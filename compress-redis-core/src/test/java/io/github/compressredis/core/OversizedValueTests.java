package io.github.compressredis.core;

import java.util.Arrays;

import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value larger than {@code max-decompressed-size} would be refused by every reader
 * under the same policy if it were stored compressed, so it is stored plain and stays
 * readable.
 */
class OversizedValueTests {

	private final CodecRegistry codecs = new CodecRegistry();

	@AfterEach
	void closeCodecs() {
		this.codecs.close();
	}

	@Test
	void valueLargerThanMaxDecompressedSizeIsStoredPlainAndReadsBack() {
		CompressionStats stats = new CompressionStats();
		ValueCompressor compressor = new ValueCompressor(
				new CompressionPolicyHolder(CompressionPolicy.builder().maxDecompressedSize(4096).build()), this.codecs,
				stats);
		byte[] value = new byte[8192];
		Arrays.fill(value, (byte) 'a');

		byte[] stored = compressor.compress(value);

		assertThat(stored).isSameAs(value);
		assertThat(compressor.decompress(stored)).isEqualTo(value);
		assertThat(stats.writes(WriteOutcome.TOO_LARGE)).isEqualTo(1);
	}

	@Test
	void valueAtMaxDecompressedSizeIsStillCompressed() {
		ValueCompressor compressor = new ValueCompressor(
				new CompressionPolicyHolder(CompressionPolicy.builder().maxDecompressedSize(4096).build()), this.codecs,
				new CompressionStats());
		byte[] value = new byte[4096];
		Arrays.fill(value, (byte) 'a');

		byte[] stored = compressor.compress(value);

		assertThat(WireFormat.isFramed(stored)).isTrue();
		assertThat(compressor.decompress(stored)).isEqualTo(value);
	}

	@Test
	void valueLargerThanMaxDecompressedSizeThatBeginsWithTheMagicReadsBack() {
		ValueCompressor compressor = new ValueCompressor(
				new CompressionPolicyHolder(CompressionPolicy.builder().maxDecompressedSize(1000).build()), this.codecs,
				new CompressionStats());
		byte[] value = new byte[1001];
		Arrays.fill(value, (byte) 'a');
		value[0] = WireFormat.MAGIC_0;
		value[1] = WireFormat.MAGIC_1;

		byte[] stored = compressor.compress(value);

		// escaped with the stored codec, declaring all 1,001 bytes: readable under the
		// same limit
		assertThat(WireFormat.isFramed(stored)).isTrue();
		assertThat(compressor.decompress(stored)).isEqualTo(value);
	}

}
