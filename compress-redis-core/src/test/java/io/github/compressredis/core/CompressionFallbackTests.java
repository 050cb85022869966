package io.github.compressredis.core;

import java.util.Arrays;

import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import io.github.compressredis.core.stats.WriteOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fallbacks without a breaker: a codec that fails stores the value plain and counts
 * it; a value that cannot be decoded fails with a named, counted fault and is never
 * returned in part.
 */
class CompressionFallbackTests {

	private static final byte[] VALUE = CodecRoundTripTests.repetitive(16 * 1024);

	private final CompressionStats stats = new CompressionStats();

	@Test
	void aCodecFailureStoresTheValuePlainAndCountsIt() {
		CodecRegistry broken = new CodecRegistry();
		broken.close();
		ValueCompressor compressor = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
				broken, this.stats);
		byte[] stored = compressor.compress(VALUE);
		assertThat(stored).isSameAs(VALUE);
		assertThat(this.stats.writes(WriteOutcome.FAILED)).isOne();
		assertThat(this.stats.writes()).isOne();
		assertThat(this.stats.fallbacks(FallbackReason.COMPRESSION_FAILED)).isOne();
		assertThat(this.stats.writtenStoredBytes()).isEqualTo(VALUE.length);
		assertThat(compressor.decompress(stored)).isEqualTo(VALUE);
	}

	@Test
	void aCodecFailureOnAValueThatBeginsWithTheMagicStillStoresItReadably() {
		CodecRegistry broken = new CodecRegistry();
		broken.close();
		ValueCompressor compressor = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
				broken, this.stats);
		byte[] magic = VALUE.clone();
		magic[0] = (byte) 0xC1;
		magic[1] = (byte) 0x8D;
		byte[] stored = compressor.compress(magic);
		assertThat(stored).isNotEqualTo(magic);
		assertThat(this.stats.writes(WriteOutcome.FAILED)).isOne();
		assertThat(this.stats.escapedWrites()).isOne();
		ValueCompressor reader = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
				new CodecRegistry(), new CompressionStats());
		assertThat(reader.decompress(stored)).isEqualTo(magic);
	}

	@Test
	void anUndecodableValueFailsWithItsFaultCountedAndIsNeverReturned() {
		ValueCompressor compressor = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
				new CodecRegistry(), this.stats);
		byte[] stored = compressor.compress(VALUE);
		byte[] truncated = Arrays.copyOf(stored, stored.length - 3);
		byte[] flipped = stored.clone();
		flipped[flipped.length - 1] ^= 0x10;
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> compressor.decompress(truncated))
			.satisfies((ex) -> assertThat(ex.getFault()).isIn(DecodeFault.TRUNCATED, DecodeFault.CORRUPT));
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> compressor.decompress(flipped))
			.withMessageContaining("codec zstd");
		assertThat(this.stats.readFailures()).isEqualTo(2);
		assertThat(this.stats.compressedReads() + this.stats.plainReads()).isZero();
	}

}
