package io.github.compressredis.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Values written before compression was enabled (by the delegate alone) are read back
 * unchanged, and values written through the serializer that happen to begin with the
 * magic survive.
 */
class LegacyValueTests {

	private final ValueCompressor compressor = CodecRoundTripTests
		.compressor(CompressionPolicy.builder().algorithm(Algorithm.ZSTD).build());

	private final CompressionStats stats = this.compressor.getStats();

	@Test
	void plainUtf8StringReadsBackUnchangedAndCountsAsPlainRead() {
		String text = "Grüße aus Zürich — 東京 🚀 ".repeat(40);
		byte[] legacy = RedisSerializer.string().serialize(text);
		assertThat(serializer(RedisSerializer.string()).deserialize(legacy)).isEqualTo(text);
		assertThat(this.stats.plainReads()).isOne();
		assertThat(this.stats.compressedReads() + this.stats.readFailures()).isZero();
	}

	@Test
	void plainJsonTextReadsBackUnchangedAndCountsAsPlainRead() {
		GenericJacksonJsonRedisSerializer json = new GenericJacksonJsonRedisSerializer(JsonMapper.builder().build());
		Map<String, Object> document = Map.of("name", "Sant Julià de Lòria", "lat", "42.46372", "admin1", "06");
		byte[] legacy = json.serialize(document);
		assertThat(serializer(json).deserialize(legacy)).isEqualTo(document);
		assertThat(this.stats.plainReads()).isOne();
	}

	@Test
	void everyCorpusValueIsPlainAndReadsBackUnchanged() {
		CompressingRedisSerializer<byte[]> serializer = serializer(RedisSerializer.byteArray());
		int count = 0;
		for (String file : List.of(Corpus.CITY, Corpus.EMOJI, Corpus.MDN)) {
			for (byte[] value : Corpus.values(file)) {
				assertThat(WireFormat.isFramed(value)).as("a JSON value never begins with the magic").isFalse();
				assertThat(serializer.deserialize(value)).isSameAs(value);
				count++;
			}
		}
		assertThat(this.stats.plainReads()).isEqualTo(count);
	}

	@Test
	void jdkSerializedObjectReadsBackUnchangedAndCountsAsPlainRead() {
		ArrayList<String> list = new ArrayList<>(List.of("a", "b", "c"));
		byte[] legacy = RedisSerializer.java().serialize(list);
		// a JDK serialization stream begins with AC ED, never with the magic
		assertThat(legacy[0]).isEqualTo((byte) 0xAC);
		assertThat(legacy[1]).isEqualTo((byte) 0xED);
		assertThat(serializer(RedisSerializer.java()).deserialize(legacy)).isEqualTo(list);
		assertThat(this.stats.plainReads()).isOne();
	}

	@Test
	void rawRandomBytesWithoutTheMagicReadBackUnchanged() {
		CompressingRedisSerializer<byte[]> serializer = serializer(RedisSerializer.byteArray());
		SplittableRandom random = new SplittableRandom(42);
		int count = 0;
		for (int i = 0; i < 10_000; i++) {
			byte[] legacy = new byte[random.nextInt(1, 300)];
			random.nextBytes(legacy);
			if (WireFormat.isFramed(legacy)) {
				continue;
			}
			assertThat(serializer.deserialize(legacy)).isSameAs(legacy);
			count++;
		}
		assertThat(count).isGreaterThan(9_990);
		assertThat(this.stats.plainReads()).isEqualTo(count);
	}

	@Test
	void emptyValueGoesToTheDelegateWithoutCountingARead() {
		assertThat(serializer(RedisSerializer.byteArray()).deserialize(new byte[0])).isEmpty();
		assertThat(serializer(RedisSerializer.string()).deserialize(new byte[0]))
			.isEqualTo(RedisSerializer.string().deserialize(new byte[0]));
		assertThat(this.stats.plainReads() + this.stats.compressedReads() + this.stats.readFailures()).isZero();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0xC1, 0x8D })
	void singleByteThatBeginsTheMagicIsPlain(int single) {
		byte[] legacy = { (byte) single };
		assertThat(serializer(RedisSerializer.byteArray()).deserialize(legacy)).isSameAs(legacy);
		assertThat(this.stats.plainReads()).isOne();
	}

	@Test
	void noUtf8TextContainsTheFirstMagicByte() {
		StringBuilder everyCodePoint = new StringBuilder();
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			if (!Character.isSurrogate((char) codePoint) || codePoint > 0xFFFF) {
				everyCodePoint.appendCodePoint(codePoint);
			}
		}
		byte[] utf8 = everyCodePoint.toString().getBytes(StandardCharsets.UTF_8);
		for (byte b : utf8) {
			if (b == WireFormat.MAGIC_0) {
				throw new AssertionError("0xC1 found in UTF-8 text");
			}
		}
		assertThat(utf8.length).isGreaterThan(4 * 1_000_000);
	}

	/**
	 * The decided behaviour for the 1 in 65,536 random binary values written before
	 * compression was enabled that begin with C1 8D: they are read as framed and fail
	 * loudly, never decode to something else.
	 */
	@Test
	void legacyRawValueThatBeginsWithTheMagicFailsLoudly() {
		CompressingRedisSerializer<byte[]> serializer = serializer(RedisSerializer.byteArray());
		SplittableRandom random = new SplittableRandom(7);
		int failures = 0;
		for (int i = 0; i < 1_000; i++) {
			byte[] legacy = new byte[random.nextInt(2, 200)];
			random.nextBytes(legacy);
			legacy[0] = WireFormat.MAGIC_0;
			legacy[1] = WireFormat.MAGIC_1;
			try {
				byte[] decoded = serializer.deserialize(legacy);
				// only a well-formed stored frame without checksum decodes, to its own
				// payload
				Header header = WireFormat.parse(legacy);
				assertThat(header.codecId()).as("seed 7, value %d", i).isZero();
				assertThat(header.checksumPresent()).isFalse();
				assertThat(decoded).hasSize(header.originalLength());
			}
			catch (CompressedValueException ex) {
				assertThat(ex).isInstanceOf(SerializationException.class);
				assertThat(ex.getFault()).isNotNull();
				assertThat(ex.getMessage()).contains("codec", "declared size", "stored size");
				failures++;
			}
		}
		assertThat(failures).isGreaterThan(990);
		assertThat(this.stats.readFailures()).isEqualTo(failures);
	}

	@Test
	void legacyRawValueOfJustTheMagicFailsAsTruncated() {
		byte[] legacy = { WireFormat.MAGIC_0, WireFormat.MAGIC_1, 0x42 };
		assertThatExceptionOfType(CompressedValueException.class)
			.isThrownBy(() -> serializer(RedisSerializer.byteArray()).deserialize(legacy))
			.satisfies((ex) -> assertThat(ex.getFault().tag()).isEqualTo("truncated"));
		assertThat(this.stats.readFailures()).isOne();
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void valueWrittenThroughTheSerializerThatBeginsWithTheMagicRoundTripsBelowMinSize(boolean checksum) {
		ValueCompressor compressor = CodecRoundTripTests
			.compressor(CompressionPolicy.builder().minSize(100).checksum(checksum).build());
		CompressingRedisSerializer<byte[]> serializer = new CompressingRedisSerializer<>(RedisSerializer.byteArray(),
				compressor);
		for (byte[] value : List.of(magicPrefixed(2, 1), magicPrefixed(3, 2), magicPrefixed(99, 3))) {
			byte[] stored = serializer.serialize(value);
			assertEscaped(stored, value, checksum);
			assertThat(serializer.deserialize(stored)).isEqualTo(value);
		}
		CompressionStats stats = compressor.getStats();
		assertThat(stats.writes(WriteOutcome.TOO_SMALL)).isEqualTo(3);
		assertThat(stats.escapedWrites()).isEqualTo(3);
		assertThat(stats.compressedReads(Algorithm.NONE)).isEqualTo(3);
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void incompressibleValueAboveMinSizeThatBeginsWithTheMagicRoundTrips(boolean checksum) {
		ValueCompressor compressor = CodecRoundTripTests
			.compressor(CompressionPolicy.builder().minSize(100).checksum(checksum).build());
		CompressingRedisSerializer<byte[]> serializer = new CompressingRedisSerializer<>(RedisSerializer.byteArray(),
				compressor);
		byte[] value = magicPrefixed(5000, 4);
		byte[] stored = serializer.serialize(value);
		assertEscaped(stored, value, checksum);
		assertThat(serializer.deserialize(stored)).isEqualTo(value);
		assertThat(compressor.getStats().writes(WriteOutcome.NOT_WORTH_IT)).isOne();
		assertThat(compressor.getStats().escapedWrites()).isOne();
	}

	@Test
	void valueThatBeginsWithTheMagicIsEscapedWhenCompressionIsDisabled() {
		ValueCompressor compressor = CodecRoundTripTests
			.compressor(CompressionPolicy.builder().algorithm(Algorithm.NONE).build());
		CompressingRedisSerializer<byte[]> serializer = new CompressingRedisSerializer<>(RedisSerializer.byteArray(),
				compressor);
		byte[] value = magicPrefixed(1000, 5);
		byte[] stored = serializer.serialize(value);
		assertEscaped(stored, value, true);
		assertThat(serializer.deserialize(stored)).isEqualTo(value);
		assertThat(compressor.getStats().writes(WriteOutcome.DISABLED)).isOne();
		assertThat(compressor.getStats().escapedWrites()).isOne();
	}

	@Test
	void compressibleValueThatBeginsWithTheMagicIsCompressedNotEscaped() {
		CompressingRedisSerializer<byte[]> serializer = serializer(RedisSerializer.byteArray());
		byte[] value = CodecRoundTripTests.repetitive(5000);
		value[0] = WireFormat.MAGIC_0;
		value[1] = WireFormat.MAGIC_1;
		byte[] stored = serializer.serialize(value);
		assertThat(WireFormat.parse(stored).codecId()).isEqualTo(Algorithm.ZSTD.id());
		assertThat(serializer.deserialize(stored)).isEqualTo(value);
		assertThat(this.stats.escapedWrites()).isZero();
		assertThat(this.stats.writes(WriteOutcome.COMPRESSED)).isOne();
	}

	private void assertEscaped(byte[] stored, byte[] value, boolean checksum) {
		Header header = WireFormat.parse(stored);
		assertThat(header.codecId()).isEqualTo(Algorithm.NONE.id());
		assertThat(header.checksumPresent()).isEqualTo(checksum);
		assertThat(header.originalLength()).isEqualTo(value.length);
		assertThat(stored).hasSize(header.payloadOffset() + value.length);
		assertThat(stored).endsWith(value);
	}

	private static byte[] magicPrefixed(int size, long seed) {
		byte[] value = CodecRoundTripTests.random(size, seed);
		value[0] = WireFormat.MAGIC_0;
		value[1] = WireFormat.MAGIC_1;
		return value;
	}

	private <T> CompressingRedisSerializer<T> serializer(RedisSerializer<T> delegate) {
		return new CompressingRedisSerializer<>(delegate, this.compressor);
	}

}
