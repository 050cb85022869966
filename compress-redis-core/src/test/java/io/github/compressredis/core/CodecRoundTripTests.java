package io.github.compressredis.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

import com.github.luben.zstd.Zstd;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import io.github.compressredis.testsupport.corpus.Corpus;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xerial.snappy.Snappy;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every codec at a spread of levels, on sizes from empty to 8 MiB, on random, repetitive
 * and real data: what is stored decodes to exactly what was written, and is stored the
 * way the policy says.
 */
class CodecRoundTripTests {

	private static final int[] SIZES = { 0, 1, 2, 5, 127, 128, 129, 1000, 4096, 65536, 1 << 20 };

	private static final int HUGE = 8 << 20;

	private static final byte[] PHRASE = "{\"id\":42,\"status\":\"shipped\",\"tags\":[\"a\",\"b\"]}"
		.getBytes(StandardCharsets.UTF_8);

	private static volatile byte[] corpusBytes;

	enum Kind {

		RANDOM, REPETITIVE, ZEROS, CORPUS

	}

	static Stream<Arguments> levels() {
		return Stream.of(Arguments.of(Algorithm.NONE, 0), Arguments.of(Algorithm.SNAPPY, 0),
				Arguments.of(Algorithm.ZSTD, -7), Arguments.of(Algorithm.ZSTD, -1), Arguments.of(Algorithm.ZSTD, 1),
				Arguments.of(Algorithm.ZSTD, 3), Arguments.of(Algorithm.ZSTD, 9), Arguments.of(Algorithm.ZSTD, 19),
				Arguments.of(Algorithm.LZ4, 0), Arguments.of(Algorithm.LZ4, 1), Arguments.of(Algorithm.LZ4, 9),
				Arguments.of(Algorithm.LZ4, 17), Arguments.of(Algorithm.GZIP, 0), Arguments.of(Algorithm.GZIP, 1),
				Arguments.of(Algorithm.GZIP, 6), Arguments.of(Algorithm.GZIP, 9), Arguments.of(Algorithm.DEFLATE, 0),
				Arguments.of(Algorithm.DEFLATE, 1), Arguments.of(Algorithm.DEFLATE, 6),
				Arguments.of(Algorithm.DEFLATE, 9));
	}

	static Stream<Arguments> hugeLevels() {
		List<Arguments> arguments = new ArrayList<>();
		for (Algorithm algorithm : Algorithm.values()) {
			arguments.add(Arguments.of(algorithm, algorithm.defaultLevel()));
			int fast = switch (algorithm) {
				case ZSTD -> -1;
				case GZIP, DEFLATE -> 1;
				default -> algorithm.defaultLevel();
			};
			if (fast != algorithm.defaultLevel()) {
				arguments.add(Arguments.of(algorithm, fast));
			}
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} level {1}")
	@MethodSource("levels")
	void everyLevelRoundTripsRandomAndRepetitiveDataOfEverySize(Algorithm algorithm, int level) {
		for (int i = 0; i < SIZES.length; i++) {
			// half the sizes with a checksum, half without: the header differs, the
			// payload does not
			boolean checksum = (i % 2 == 0);
			ValueCompressor compressor = compressor(eager(algorithm, level).checksum(checksum).build());
			assertStoredAsThePolicySays(compressor, random(SIZES[i], 31L * SIZES[i] + level), algorithm, Kind.RANDOM);
			assertStoredAsThePolicySays(compressor, repetitive(SIZES[i]), algorithm, Kind.REPETITIVE);
			// the highest ratio a codec reaches: its expansion bound on read must still
			// let it through
			assertStoredAsThePolicySays(compressor, new byte[SIZES[i]], algorithm, Kind.ZEROS);
		}
	}

	@ParameterizedTest(name = "{0} level {1}")
	@MethodSource("levels")
	void everyLevelRoundTripsRealDataOfEverySize(Algorithm algorithm, int level) {
		byte[] corpus = corpusBytes();
		ValueCompressor compressor = compressor(eager(algorithm, level).build());
		for (int size : SIZES) {
			assertStoredAsThePolicySays(compressor, Arrays.copyOf(corpus, size), algorithm, Kind.CORPUS);
		}
	}

	@ParameterizedTest(name = "{0} level {1}")
	@MethodSource("hugeLevels")
	void eightMebibyteValuesRoundTripAtTheDefaultAndAFastLevel(Algorithm algorithm, int level) {
		ValueCompressor compressor = compressor(eager(algorithm, level).build());
		assertStoredAsThePolicySays(compressor, random(HUGE, 8), algorithm, Kind.RANDOM);
		assertStoredAsThePolicySays(compressor, repetitive(HUGE), algorithm, Kind.REPETITIVE);
		assertStoredAsThePolicySays(compressor, new byte[HUGE], algorithm, Kind.ZEROS);
		assertStoredAsThePolicySays(compressor, corpusBytes(), algorithm, Kind.CORPUS);
	}

	@ParameterizedTest
	@EnumSource(Algorithm.class)
	void realCorpusValuesRoundTripOneByOneWithTheDefaultPolicyThresholds(Algorithm algorithm) {
		ValueCompressor compressor = compressor(CompressionPolicy.builder().algorithm(algorithm).build());
		int minSize = compressor.getPolicies().policy().minSize();
		for (String file : List.of(Corpus.CITY, Corpus.EMOJI, Corpus.MDN, Corpus.CITIES_BY_COUNTRY)) {
			for (byte[] value : Corpus.sample(file, 150)) {
				long tooSmall = compressor.getStats().writes(WriteOutcome.TOO_SMALL);
				byte[] stored = compressor.compress(value);
				assertSameBytes(compressor.decompress(stored), value, algorithm + " " + file);
				if (algorithm != Algorithm.NONE && value.length < minSize) {
					assertThat(stored).as("value below min-size is stored as it is").isSameAs(value);
					assertThat(compressor.getStats().writes(WriteOutcome.TOO_SMALL)).isEqualTo(tooSmall + 1);
				}
			}
		}
		CompressionStats stats = compressor.getStats();
		assertThat(stats.readFailures()).isZero();
		assertThat(stats.compressedReads() + stats.plainReads()).isEqualTo(stats.writes());
		if (algorithm != Algorithm.NONE) {
			assertThat(stats.compressedWrites(algorithm)).as("real JSON compresses").isPositive();
			assertThat(stats.compressedStoredBytes()).isLessThan(stats.compressedOriginalBytes());
		}
	}

	@ParameterizedTest
	@EnumSource(Algorithm.class)
	void serializerRoundTripsThroughStringBytesJdkAndJsonDelegates(Algorithm algorithm) {
		ValueCompressor compressor = compressor(eager(algorithm, algorithm.defaultLevel()).build());
		String text = "Grüße aus Zürich, 東京 and 🚀 — ".repeat(100);
		byte[] bytes = repetitive(5000);
		ArrayList<String> list = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			list.add("element-" + (i % 10));
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("name", "Vila");
		document.put("population", 1234);
		document.put("tags", List.of("capital", "mountain", "capital", "mountain"));
		document.put("cities", List.of(Map.of("name", "El Tarter", "lat", "42.57952"),
				Map.of("name", "Santa Coloma", "lat", "42.49454")));
		document.put("description", "a village in the Pyrenees ".repeat(20));

		assertSerializerRoundTrip(new CompressingRedisSerializer<>(RedisSerializer.string(), compressor), text,
				algorithm);
		assertSerializerRoundTrip(new CompressingRedisSerializer<>(RedisSerializer.byteArray(), compressor), bytes,
				algorithm);
		assertSerializerRoundTrip(new CompressingRedisSerializer<>(RedisSerializer.java(), compressor), list,
				algorithm);
		assertSerializerRoundTrip(new CompressingRedisSerializer<>(json(), compressor), document, algorithm);
		assertThat(compressor.getStats().readFailures()).isZero();
	}

	@Test
	void nullAndEmptyValuesFollowTheDelegate() {
		ValueCompressor compressor = compressor(eager(Algorithm.ZSTD, 3).build());
		List<RedisSerializer<?>> delegates = List.of(RedisSerializer.string(), RedisSerializer.byteArray(),
				RedisSerializer.java(), json());
		for (RedisSerializer<?> delegate : delegates) {
			assertNullAndEmptyFollow(delegate, compressor);
		}
		assertThat(compressor.getStats().writes()).as("no empty value reaches the compressor").isZero();
		assertThat(compressor.getStats().plainReads() + compressor.getStats().compressedReads()).isZero();
	}

	@ParameterizedTest(name = "{0} level {1}")
	@MethodSource("levels")
	void sameInputAndPolicyGiveTheSameBytesTwiceAndAcrossFreshSerializers(Algorithm algorithm, int level) {
		CompressionPolicy policy = eager(algorithm, level).build();
		List<byte[]> inputs = List.of(repetitive(3000), random(3000, 3), text(20_000, 5),
				"x".repeat(200).getBytes(StandardCharsets.UTF_8));
		CompressingRedisSerializer<byte[]> first = CompressingRedisSerializer.of(RedisSerializer.byteArray(), policy);
		CompressingRedisSerializer<byte[]> second = CompressingRedisSerializer.of(RedisSerializer.byteArray(), policy);
		for (byte[] input : inputs) {
			byte[] once = first.serialize(input);
			byte[] twice = first.serialize(input);
			byte[] elsewhere = second.serialize(input);
			assertThat(twice).isEqualTo(once);
			assertThat(elsewhere).isEqualTo(once);
		}
	}

	@Test
	void zstdPayloadIsAStandardFrameWithItsContentSize() {
		for (byte[] original : List.of(text(100_000, 7), repetitive(65536), repetitive(200))) {
			byte[] payload = payload(original, Algorithm.ZSTD);
			assertThat(Zstd.getFrameContentSize(payload)).isEqualTo(original.length);
			assertSameBytes(Zstd.decompress(payload, original.length), original, "zstd-jni");
		}
	}

	@Test
	void gzipPayloadIsAMemberTheJdkGzipReaderDecodes() throws IOException {
		for (byte[] original : List.of(text(100_000, 7), repetitive(65536), repetitive(200))) {
			byte[] payload = payload(original, Algorithm.GZIP);
			try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
				assertSameBytes(in.readAllBytes(), original, "GZIPInputStream");
			}
		}
	}

	@Test
	void deflatePayloadIsARawStreamANowrapInflaterDecodes() throws DataFormatException {
		for (byte[] original : List.of(text(100_000, 7), repetitive(65536), repetitive(200))) {
			byte[] payload = payload(original, Algorithm.DEFLATE);
			Inflater inflater = new Inflater(true);
			try {
				inflater.setInput(payload);
				byte[] decoded = new byte[original.length];
				int count = 0;
				while (count < decoded.length && !inflater.finished()) {
					count += inflater.inflate(decoded, count, decoded.length - count);
				}
				assertThat(inflater.finished()).isTrue();
				assertThat(inflater.getRemaining()).isZero();
				assertSameBytes(decoded, original, "Inflater(nowrap)");
			}
			finally {
				inflater.end();
			}
		}
	}

	@Test
	void lz4PayloadIsABlockTheSafeDecompressorDecodesGivenTheHeaderLength() {
		for (byte[] original : List.of(text(100_000, 7), repetitive(65536), repetitive(200))) {
			for (int level : new int[] { 0, 9 }) {
				byte[] stored = store(original, Algorithm.LZ4, level);
				Header header = WireFormat.parse(stored);
				byte[] payload = Arrays.copyOfRange(stored, header.payloadOffset(), stored.length);
				byte[] decoded = LZ4Factory.fastestInstance()
					.safeDecompressor()
					.decompress(payload, header.originalLength());
				assertSameBytes(decoded, original, "lz4 safe decompressor, level " + level);
			}
		}
	}

	@Test
	void snappyPayloadIsARawBlockSnappyJavaDecodes() throws IOException {
		for (byte[] original : List.of(text(100_000, 7), repetitive(65536), repetitive(200))) {
			assertSameBytes(Snappy.uncompress(payload(original, Algorithm.SNAPPY)), original, "snappy-java");
		}
	}

	private static void assertStoredAsThePolicySays(ValueCompressor compressor, byte[] original, Algorithm algorithm,
			Kind kind) {
		CompressionStats stats = compressor.getStats();
		int level = compressor.getPolicies().policy().level();
		String what = algorithm.tag() + " level " + level + ", " + kind + " " + original.length + " bytes";
		CompressionStats.Snapshot before = stats.snapshot();
		byte[] stored = compressor.compress(original);
		CompressionStats.Snapshot after = stats.snapshot();
		assertThat(after.writes()).as(what).isEqualTo(before.writes() + 1);
		WriteOutcome outcome = outcomeOf(before, after);
		if (algorithm == Algorithm.NONE) {
			assertThat(outcome).as(what).isEqualTo(WriteOutcome.DISABLED);
			assertStoredPlain(original, stored, before, after, what);
		}
		else if (kind == Kind.RANDOM) {
			assertThat(outcome).as(what).isEqualTo(WriteOutcome.NOT_WORTH_IT);
			assertStoredPlain(original, stored, before, after, what);
		}
		else if ((kind == Kind.REPETITIVE || kind == Kind.ZEROS)
				&& original.length >= alwaysCompressedFrom(algorithm, level)) {
			assertThat(outcome).as(what).isEqualTo(WriteOutcome.COMPRESSED);
		}
		else if (alwaysCompressedFrom(algorithm, level) == Integer.MAX_VALUE) {
			assertThat(outcome).as(what + ": level 0 only stores").isEqualTo(WriteOutcome.NOT_WORTH_IT);
			assertStoredPlain(original, stored, before, after, what);
		}
		else {
			assertThat(outcome).as(what).isIn(WriteOutcome.COMPRESSED, WriteOutcome.NOT_WORTH_IT);
			if (outcome == WriteOutcome.NOT_WORTH_IT) {
				assertStoredPlain(original, stored, before, after, what);
			}
		}
		if (outcome == WriteOutcome.COMPRESSED) {
			assertThat(WireFormat.isFramed(stored)).as(what).isTrue();
			assertThat(stored[2] & 0xFF).as(what + ": version and codec byte").isEqualTo(0x10 | algorithm.id());
			assertThat(stored.length).as(what).isLessThan(original.length);
			assertThat(after.compressedWritesByCodec().get(algorithm))
				.isEqualTo(before.compressedWritesByCodec().get(algorithm) + 1);
		}
		assertSameBytes(compressor.decompress(stored), original, what);
	}

	/**
	 * Return the size from which repetitive data is always stored compressed: deflate
	 * level 0 only stores (never smaller), zstd's fast levels skip matches in short
	 * inputs.
	 */
	private static int alwaysCompressedFrom(Algorithm algorithm, int level) {
		if ((algorithm == Algorithm.GZIP || algorithm == Algorithm.DEFLATE) && level == 0) {
			return Integer.MAX_VALUE;
		}
		return (algorithm == Algorithm.ZSTD && level < 0) ? 1000 : 127;
	}

	private static void assertStoredPlain(byte[] original, byte[] stored, CompressionStats.Snapshot before,
			CompressionStats.Snapshot after, String what) {
		if (WireFormat.isFramed(original)) {
			// would be read as framed: escaped with the stored codec
			assertThat(stored[2] & 0xFF).as(what).isEqualTo(0x10 | Algorithm.NONE.id());
			assertThat(after.escapedWrites()).as(what).isEqualTo(before.escapedWrites() + 1);
		}
		else {
			assertThat(stored).as(what).isSameAs(original);
			assertThat(after.escapedWrites()).as(what).isEqualTo(before.escapedWrites());
		}
	}

	private static WriteOutcome outcomeOf(CompressionStats.Snapshot before, CompressionStats.Snapshot after) {
		for (WriteOutcome outcome : WriteOutcome.values()) {
			if (after.writesByOutcome().get(outcome) > before.writesByOutcome().get(outcome)) {
				return outcome;
			}
		}
		throw new AssertionError("no write outcome was counted");
	}

	@SuppressWarnings("unchecked")
	private static <T> void assertSerializerRoundTrip(CompressingRedisSerializer<T> serializer, Object value,
			Algorithm algorithm) {
		T typed = (T) value;
		byte[] plain = serializer.getDelegate().serialize(typed);
		byte[] stored = serializer.serialize(typed);
		if (algorithm != Algorithm.NONE) {
			assertThat(stored).as(algorithm + " stores " + value.getClass().getSimpleName() + " compressed")
				.hasSizeLessThan(plain.length);
			assertThat(stored[2] & 0xFF).isEqualTo(0x10 | algorithm.id());
		}
		else {
			assertThat(stored).isEqualTo(plain);
		}
		assertThat(serializer.deserialize(stored)).isEqualTo(value);
	}

	@SuppressWarnings("unchecked")
	private static <T> void assertNullAndEmptyFollow(RedisSerializer<T> delegate, ValueCompressor compressor) {
		CompressingRedisSerializer<T> serializer = new CompressingRedisSerializer<>(delegate, compressor);
		String name = delegate.getClass().getSimpleName();
		assertThat(serializer.serialize(null)).as(name + ".serialize(null)").isEqualTo(delegate.serialize(null));
		assertThat(serializer.deserialize(null)).as(name + ".deserialize(null)").isEqualTo(delegate.deserialize(null));
		assertThat(serializer.deserialize(new byte[0])).as(name + ".deserialize(empty)")
			.isEqualTo(delegate.deserialize(new byte[0]));
		assertThat(serializer.getTargetType()).isEqualTo(delegate.getTargetType());
		assertThat(serializer.canSerialize(String.class)).isEqualTo(delegate.canSerialize(String.class));
		if (delegate.getTargetType() == String.class) {
			byte[] empty = ((RedisSerializer<String>) (RedisSerializer<?>) serializer).serialize("");
			assertThat(empty).isEmpty();
		}
	}

	private static GenericJacksonJsonRedisSerializer json() {
		return new GenericJacksonJsonRedisSerializer(JsonMapper.builder().build());
	}

	private static byte[] payload(byte[] original, Algorithm algorithm) {
		byte[] stored = store(original, algorithm, algorithm.defaultLevel());
		Header header = WireFormat.parse(stored);
		assertThat(header.codecId()).isEqualTo(algorithm.id());
		assertThat(header.originalLength()).isEqualTo(original.length);
		return Arrays.copyOfRange(stored, header.payloadOffset(), stored.length);
	}

	private static byte[] store(byte[] original, Algorithm algorithm, int level) {
		ValueCompressor compressor = compressor(eager(algorithm, level).build());
		byte[] stored = compressor.compress(original);
		assertThat(compressor.getStats().writes(WriteOutcome.COMPRESSED)).isOne();
		return stored;
	}

	/** A policy that compresses anything that gets smaller at all. */
	static CompressionPolicy.Builder eager(Algorithm algorithm, int level) {
		return CompressionPolicy.builder().algorithm(algorithm).level(level).minSize(0).maxRatio(1.0);
	}

	static ValueCompressor compressor(CompressionPolicy policy) {
		return new ValueCompressor(new CompressionPolicyHolder(policy), new CodecRegistry(), new CompressionStats());
	}

	static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new SplittableRandom(seed).nextBytes(bytes);
		return bytes;
	}

	static byte[] repetitive(int size) {
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = PHRASE[i % PHRASE.length];
		}
		return bytes;
	}

	/** Words drawn at random from a small vocabulary: compressible, but not trivially. */
	static byte[] text(int size, long seed) {
		String[] words = { "redis", "value", "compress", "header", "frame", "codec", "level", "payload", "{", "}",
				"\"id\":", "\"name\":", "Zürich", "東京", ",", " " };
		SplittableRandom random = new SplittableRandom(seed);
		StringBuilder text = new StringBuilder(size + 16);
		while (text.length() < size) {
			text.append(words[random.nextInt(words.length)]);
		}
		return Arrays.copyOf(text.toString().getBytes(StandardCharsets.UTF_8), size);
	}

	/**
	 * 8 MiB of real values, loaded once; skips (or fails on CI) when the corpus is
	 * absent.
	 */
	private static byte[] corpusBytes() {
		byte[] bytes = corpusBytes;
		if (bytes == null) {
			bytes = Corpus.ofSize(Corpus.MDN, HUGE);
			corpusBytes = bytes;
		}
		return bytes;
	}

	static void assertSameBytes(byte[] actual, byte[] expected, String what) {
		int mismatch = Arrays.mismatch(actual, expected);
		if (mismatch != -1) {
			fail(what + ": decoded " + actual.length + " bytes differ from the " + expected.length
					+ " original bytes at index " + mismatch);
		}
	}

}
