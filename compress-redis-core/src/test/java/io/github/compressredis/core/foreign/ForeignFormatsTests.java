package io.github.compressredis.core.foreign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.foreign.ForeignValue;
import io.github.compressredis.core.internal.format.WireFormatException;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.testsupport.corpus.Corpus;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The foreign formats of {@code FORMAT.md}, section "Foreign formats": vectors built from
 * each format's byte layout, strict checks, bounds before allocating, and no plain corpus
 * value ever misread as a foreign one.
 */
class ForeignFormatsTests {

	private static final int MAX = 1024 * 1024;

	private static final byte[] INPUT = ("{\"id\":42,\"name\":\"compress-redis\",\"tags\":[\"redis\",\"redis\",\"redis\"],"
			+ "\"note\":\"hello hello hello hello hello\"}")
		.getBytes();

	private final CodecRegistry codecs = new CodecRegistry();

	private final ForeignFormats all = new ForeignFormats(EnumSet.allOf(ForeignFormat.class), this.codecs);

	@Test
	void glideLz4VectorFromTheDocumentedLayout() {
		// 00 01 02 magic, 00 version, 02 lz4, 03 00 00 00 length (LE), then an lz4 block
		// of literals "abc"
		byte[] vector = HexFormat.of().parseHex("00010200020300000030616263");
		ForeignValue value = this.all.decode(vector, MAX);
		assertThat(value.format()).isEqualTo(ForeignFormat.GLIDE);
		assertThat(value.backend()).isEqualTo("lz4");
		assertThat(value.original()).isEqualTo("abc".getBytes());
		assertThat(this.all.decoded(ForeignFormat.GLIDE)).isOne();
	}

	@Test
	void glideZstdWithAndWithoutContentSize() throws IOException {
		byte[] header = HexFormat.of().parseHex("0001020001");
		assertThat(this.all.decode(concat(header, Zstd.compress(INPUT, 3)), MAX).original()).isEqualTo(INPUT);
		assertThat(this.all.decode(concat(header, streamingZstd(INPUT)), MAX).original()).isEqualTo(INPUT);
	}

	@Test
	void glideHeaderFaultsAreErrorsNotPlainValues() {
		assertFault("0001020101" + "28b52ffd", DecodeFault.UNSUPPORTED_VERSION);
		assertFault("0001020003" + "28b52ffd", DecodeFault.UNKNOWN_CODEC);
		assertFault("0001020001" + "00112233", DecodeFault.CORRUPT);
		// a forged length far beyond the limit is refused before allocating (2 GiB would
		// not fit the heap)
		assertFault("0001020002" + "ffffff7f" + "30616263", DecodeFault.TOO_LARGE);
	}

	@Test
	void lettuceGzipAndDeflateAsLettuceWritesThem() throws IOException {
		ByteArrayOutputStream gzip = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
			out.write(INPUT);
		}
		ByteArrayOutputStream zlib = new ByteArrayOutputStream();
		try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
			out.write(INPUT);
		}
		assertThat(this.all.decode(gzip.toByteArray(), MAX).format()).isEqualTo(ForeignFormat.GZIP);
		assertThat(this.all.decode(gzip.toByteArray(), MAX).original()).isEqualTo(INPUT);
		ForeignValue deflate = this.all.decode(zlib.toByteArray(), MAX);
		assertThat(deflate.format()).isEqualTo(ForeignFormat.LETTUCE_DEFLATE);
		assertThat(deflate.original()).isEqualTo(INPUT);
	}

	@Test
	void boundedWhenNothingDeclaresTheSize() throws IOException {
		byte[] big = new byte[4 * MAX];
		assertFaultOf(streamingZstd(big), DecodeFault.TOO_LARGE);
		ByteArrayOutputStream zlib = new ByteArrayOutputStream();
		try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
			out.write(big);
		}
		assertFaultOf(zlib.toByteArray(), DecodeFault.TOO_LARGE);
		ByteArrayOutputStream gzip = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
			out.write(big);
		}
		assertFaultOf(gzip.toByteArray(), DecodeFault.TOO_LARGE);
	}

	@Test
	void redissonLayoutsAreReadOnlyWhenNamed() throws IOException {
		byte[] lz4 = redissonLz4(INPUT);
		byte[] zstd = concat(ByteBuffer.allocate(4).putInt(INPUT.length).array(), streamingZstd(INPUT));
		ForeignFormats magicOnly = new ForeignFormats(ForeignFormat.withMagic(), this.codecs);
		assertThat(magicOnly.decode(lz4, MAX)).isNull();
		assertThat(this.all.decode(lz4, MAX).original()).isEqualTo(INPUT);
		assertThat(this.all.decode(zstd, MAX).format()).isEqualTo(ForeignFormat.REDISSON_ZSTD);
		assertThat(this.all.decode(zstd, MAX).original()).isEqualTo(INPUT);
		// a length that disagrees with the block is not Redisson's: plain
		byte[] wrongLength = lz4.clone();
		wrongLength[3]++;
		assertThat(this.all.decode(wrongLength, MAX)).isNull();
	}

	@Test
	void aDisabledFormatIsPlain() {
		ForeignFormats none = new ForeignFormats(Set.of(), this.codecs);
		assertThat(none.decode(HexFormat.of().parseHex("00010200020300000030616263"), MAX)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { Corpus.MDN, Corpus.EMOJI, Corpus.CITY, Corpus.CITIES_BY_COUNTRY })
	void noPlainCorpusValueIsMisreadAsAForeignOne(String file) {
		List<byte[]> values = Corpus.values(file);
		long misread = values.stream().filter((value) -> this.all.decode(value, MAX) != null).count();
		System.out.printf("%s: %d of %d plain values read as a foreign format%n", file, misread, values.size());
		assertThat(misread).isZero();
	}

	@Test
	void randomBinaryValuesAreAlmostNeverTakenForRedissonLz4() {
		ForeignFormats redisson = new ForeignFormats(EnumSet.of(ForeignFormat.REDISSON_LZ4), this.codecs);
		Random random = new Random(14);
		int misread = 0;
		int count = 200_000;
		for (int i = 0; i < count; i++) {
			byte[] value = new byte[5 + random.nextInt(300)];
			random.nextBytes(value);
			misread += (redisson.decode(value, MAX) != null) ? 1 : 0;
		}
		System.out.printf("redisson-lz4: %d of %d random binary values misread%n", misread, count);
		assertThat(misread).isLessThanOrEqualTo(count / 10_000);
	}

	@Test
	void theSerializerReadsForeignValuesOnlyWhenConfigured() {
		CompressionPolicy policy = CompressionPolicy.builder()
			.algorithm(Algorithm.ZSTD)
			.maxDecompressedSize(MAX)
			.build();
		ValueCompressor plain = new ValueCompressor(new CompressionPolicyHolder(policy), this.codecs,
				new CompressionStats());
		byte[] glide = HexFormat.of().parseHex("00010200020300000030616263");
		assertThat(plain.decompress(glide)).isEqualTo(glide);
		ValueCompressor reading = plain
			.withForeignFormats(new ForeignFormats(EnumSet.of(ForeignFormat.GLIDE), this.codecs));
		assertThat(reading.decompress(glide)).isEqualTo("abc".getBytes());
		assertThat(reading.withBreaker(null).getForeignFormats()).isSameAs(reading.getForeignFormats());
		assertThatExceptionOfType(CompressedValueException.class)
			.isThrownBy(() -> reading.decompress(HexFormat.of().parseHex("0001020002ffffff7f30616263")))
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(DecodeFault.TOO_LARGE));
	}

	private void assertFault(String hex, DecodeFault fault) {
		assertFaultOf(HexFormat.of().parseHex(hex), fault);
	}

	private void assertFaultOf(byte[] value, DecodeFault fault) {
		assertThatExceptionOfType(WireFormatException.class).isThrownBy(() -> this.all.decode(value, MAX))
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(fault));
	}

	static byte[] redissonLz4(byte[] input) {
		byte[] block = LZ4Factory.fastestInstance().fastCompressor().compress(input);
		return concat(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(input.length).array(), block);
	}

	static byte[] streamingZstd(byte[] input) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZstdOutputStream out = new ZstdOutputStream(bytes)) {
			out.write(input);
		}
		return bytes.toByteArray();
	}

	static byte[] concat(byte[] a, byte[] b) {
		byte[] joined = new byte[a.length + b.length];
		System.arraycopy(a, 0, joined, 0, a.length);
		System.arraycopy(b, 0, joined, a.length, b.length);
		return joined;
	}

}
