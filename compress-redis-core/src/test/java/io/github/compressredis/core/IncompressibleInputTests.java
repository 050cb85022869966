package io.github.compressredis.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.codec.CompressedInput;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values that are already compressed are stored plain without a codec call (outcome
 * {@code incompressible}); anything else is compressed as before.
 */
class IncompressibleInputTests {

	private final CodecRegistry codecs = new CodecRegistry();

	private final CompressionStats stats = new CompressionStats();

	private final ValueCompressor compressor = new ValueCompressor(
			new CompressionPolicyHolder(CompressionPolicy.builder().minSize(0).build()), this.codecs, this.stats);

	@AfterEach
	void closeCodecs() {
		this.codecs.close();
	}

	@Test
	void gzipZstdZipAndImagesAreStoredPlainAndCountedIncompressible() throws IOException {
		byte[] json = TestJson.json(4096);
		byte[] zstd = framePayload(this.codecs, Algorithm.ZSTD, json);
		byte[][] values = { gzip(json), zstd, zip(json), png(), jpeg(), webp() };
		for (byte[] value : values) {
			assertThat(this.compressor.compress(value)).isSameAs(value);
		}

		assertThat(this.stats.writes(WriteOutcome.INCOMPRESSIBLE)).isEqualTo(values.length);
		assertThat(this.stats.writes(WriteOutcome.NOT_WORTH_IT)).isZero();
		assertThat(CompressedInput.formatOf(values[0])).isEqualTo("gzip");
		assertThat(CompressedInput.formatOf(values[3])).isEqualTo("png");
	}

	@Test
	void aHyperLogLogStaysInTheEncodingRedisReads() {
		byte[] dense = new byte[12304];
		System.arraycopy("HYLL".getBytes(StandardCharsets.US_ASCII), 0, dense, 0, 4);

		assertThat(this.compressor.compress(dense)).isSameAs(dense);
		assertThat(CompressedInput.formatOf(dense)).isEqualTo("hyperloglog");
		assertThat(this.stats.writes(WriteOutcome.INCOMPRESSIBLE)).isOne();
	}

	@Test
	void compressibleValuesThatMerelyResembleASignatureAreCompressed() {
		byte[] text = ("GIF8 is not an image but a note that repeats: " + "again and again and again ".repeat(20))
			.getBytes(StandardCharsets.UTF_8);

		byte[] stored = this.compressor.compress(text);

		assertThat(WireFormat.isFramed(stored)).isTrue();
		assertThat(this.compressor.decompress(stored)).isEqualTo(text);
		assertThat(this.stats.writes(WriteOutcome.INCOMPRESSIBLE)).isZero();
		assertThat(this.stats.writes(WriteOutcome.COMPRESSED)).isOne();
	}

	/** A zstd frame as another program would store it: the payload of a framed value. */
	private static byte[] framePayload(CodecRegistry codecs, Algorithm algorithm, byte[] original) {
		byte[] framed = new ValueCompressor(
				new CompressionPolicyHolder(
						CompressionPolicy.builder().algorithm(algorithm).minSize(0).checksum(false).build()),
				codecs, new CompressionStats())
			.compress(original);
		return Arrays.copyOfRange(framed, WireFormat.parse(framed).payloadOffset(), framed.length);
	}

	private static byte[] gzip(byte[] data) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(data);
		}
		return out.toByteArray();
	}

	private static byte[] zip(byte[] data) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(out)) {
			zip.putNextEntry(new ZipEntry("value.json"));
			zip.write(data);
			zip.closeEntry();
		}
		return out.toByteArray();
	}

	private static byte[] png() {
		byte[] png = CodecRoundTripTests.random(2048, 3);
		System.arraycopy(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A }, 0, png, 0, 8);
		return png;
	}

	private static byte[] jpeg() {
		byte[] jpeg = CodecRoundTripTests.random(2048, 4);
		System.arraycopy(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0 }, 0, jpeg, 0, 4);
		return jpeg;
	}

	private static byte[] webp() {
		byte[] webp = CodecRoundTripTests.random(2048, 5);
		System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, webp, 0, 4);
		System.arraycopy("WEBP".getBytes(StandardCharsets.US_ASCII), 0, webp, 8, 4);
		return webp;
	}

}
