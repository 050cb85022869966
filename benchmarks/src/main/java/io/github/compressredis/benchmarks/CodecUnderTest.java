package io.github.compressredis.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.dictionary.DictionaryProvider;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.stats.WriteOutcome;
import io.github.compressredis.testsupport.corpus.Corpus;
import io.lettuce.core.codec.CompressionCodec;
import io.lettuce.core.codec.RedisCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.Codec;
import org.redisson.client.handler.State;
import org.redisson.client.protocol.Decoder;
import org.redisson.client.protocol.Encoder;
import org.redisson.codec.LZ4Codec;
import org.redisson.codec.LZ4CodecV2;
import org.redisson.codec.SnappyCodecV2;
import org.redisson.codec.ZStdCodec;

import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * One codec as the benchmarks drive it: {@code byte[]} in, whatever the library produces
 * out. Each library is used the way an application uses it: the serializer and the native
 * codecs return a {@code byte[]}, Redisson's codecs a {@link ByteBuf} (released here, as
 * Redisson does once it is written), Lettuce's codec a {@link ByteBuffer}. For
 * decompression each gets what it receives in its client: {@code byte[]} for the
 * serializer (Spring Data's connection copies the reply into one) and the native codecs,
 * a direct {@link ByteBuf} for Redisson and a direct {@link ByteBuffer} for Lettuce (both
 * read from a netty receive buffer). Not thread-safe: the benchmarks hold one instance
 * per thread.
 *
 * @author compress-redis contributors
 */
public abstract class CodecUnderTest implements AutoCloseable {

	/** Every codec the benchmarks compare, in report order. */
	public static final List<String> NAMES = List.of("serializer-zstd1", "serializer-zstd3", "serializer-zstd3-crc",
			"serializer-lz4", "serializer-gzip", "native-zstd1", "native-zstd3", "native-lz4", "redisson-zstd",
			"redisson-lz4", "redisson-lz4v2", "redisson-snappy", "lettuce-gzip");

	/**
	 * Checksum-on variants of the other serializer cells, outside the default matrix (ask
	 * for them with {@code -p codec=...}): the CRC's cost beside the cells the speed
	 * targets are about.
	 */
	public static final List<String> CRC_NAMES = List.of("serializer-zstd1-crc", "serializer-lz4-crc");

	private final String name;

	protected CodecUnderTest(String name) {
		this.name = name;
	}

	/**
	 * Create a codec by its benchmark name.
	 * @param name one of {@link #NAMES} or {@link #CRC_NAMES}
	 * @return a new codec
	 */
	public static CodecUnderTest create(String name) {
		return switch (name) {
			case "serializer-zstd1" -> new Serializer(name, Algorithm.ZSTD, 1, false);
			case "serializer-zstd3" -> new Serializer(name, Algorithm.ZSTD, 3, false);
			case "serializer-zstd3-crc" -> new Serializer(name, Algorithm.ZSTD, 3, true);
			case "serializer-zstd1-crc" -> new Serializer(name, Algorithm.ZSTD, 1, true);
			case "serializer-lz4" -> new Serializer(name, Algorithm.LZ4, 0, false);
			case "serializer-lz4-crc" -> new Serializer(name, Algorithm.LZ4, 0, true);
			case "serializer-gzip" -> new Serializer(name, Algorithm.GZIP, 6, false);
			case "native-zstd1" -> new NativeZstd(name, 1);
			case "native-zstd3" -> new NativeZstd(name, 3);
			case "native-lz4" -> new NativeLz4(name);
			case "redisson-zstd" -> new Redisson(name, new ZStdCodec(ByteArrayCodec.INSTANCE));
			case "redisson-lz4" -> new Redisson(name, new LZ4Codec(ByteArrayCodec.INSTANCE));
			case "redisson-lz4v2" -> new Redisson(name, new LZ4CodecV2(ByteArrayCodec.INSTANCE));
			case "redisson-snappy" -> new Redisson(name, new SnappyCodecV2(ByteArrayCodec.INSTANCE));
			case "lettuce-gzip" -> new LettuceGzip(name);
			default -> throw new IllegalArgumentException(
					"Unknown codec '" + name + "'; use one of " + NAMES + " or " + CRC_NAMES);
		};
	}

	/**
	 * Serializer variants with a dictionary trained on the file's values
	 * ({@link #create(String, String)}).
	 */
	public static final List<String> DICTIONARY_NAMES = List.of("serializer-zstd3-dict", "serializer-zstd3-dict16k");

	/**
	 * Create a codec by its benchmark name for one corpus file: the dictionary variants
	 * train their dictionary on the file's values first, the way an application does
	 * ({@code serializer-zstd3-dict}: the default dictionary settings, 64 KB written at
	 * level 12; {@code serializer-zstd3-dict16k}: 16 KB written at the policy's level 3).
	 * @param name one of {@link #NAMES} or {@link #DICTIONARY_NAMES}
	 * @param file the corpus file
	 * @return a new codec
	 */
	public static CodecUnderTest create(String name, String file) {
		if (!DICTIONARY_NAMES.contains(name)) {
			return create(name);
		}
		DictionarySettings settings = name.endsWith("16k")
				? DictionarySettings.defaults().withDictionarySize(16 * 1024).withLevel(0)
				: DictionarySettings.defaults();
		ValueCompressor compressor = Dictionaries.trained(file, Corpus.values(file),
				benchmarkPolicy(Algorithm.ZSTD, 3, false), settings);
		return new Serializer(name, compressor);
	}

	/**
	 * The policy the serializer variants use: compress every value (min-size 0), keep the
	 * compressed form whenever it is not longer than the original (max-ratio 1.0).
	 * @param algorithm the algorithm
	 * @param level the level
	 * @param checksum whether to add the CRC32C
	 * @return the policy
	 */
	public static CompressionPolicy benchmarkPolicy(Algorithm algorithm, int level, boolean checksum) {
		return CompressionPolicy.builder()
			.algorithm(algorithm)
			.level(level)
			.minSize(0)
			.maxRatio(1.0)
			.checksum(checksum)
			.build();
	}

	public String name() {
		return this.name;
	}

	/**
	 * Compress one value the way the library does on a write (the hot path measured).
	 * @param value the original bytes
	 * @return the library's output, for the benchmark to consume
	 */
	public abstract Object compress(byte[] value);

	/**
	 * Return the bytes this codec would send to Redis for a value (setup and ratio only).
	 * @param value the original bytes
	 * @return the stored bytes
	 */
	public abstract byte[] storedForm(byte[] value);

	/**
	 * Turn stored bytes into what the library receives on a read (setup only).
	 * @param stored the stored bytes
	 * @param originalLength the original length (the native codecs need it; it is in the
	 * serializer's header and in Redisson's prefix)
	 * @return the input for {@link #decompress(Object)}
	 */
	public abstract Object prepare(byte[] stored, int originalLength);

	/**
	 * Decompress one prepared value (the hot path measured).
	 * @param prepared what {@link #prepare(byte[], int)} returned
	 * @return the original bytes
	 */
	public abstract byte[] decompress(Object prepared);

	/**
	 * The largest value this codec is given. Only Redisson's LZ4CodecV2 has a limit: its
	 * compressor (commons-compress's pure-Java BlockLZ4CompressorOutputStream) takes time
	 * that grows about quadratically with the value size (some 13 ms for 16 KB, 0.3 s for
	 * 64 KB, 2 s for 140 KB of the corpus's JSON), so the multi-megabyte values would
	 * take many minutes each.
	 */
	public static final int REDISSON_LZ4V2_MAX_VALUE = 16 * 1024;

	/**
	 * Return the largest value this codec is benchmarked on; larger values of a file are
	 * skipped for this codec only (and the reports say so).
	 * @return the limit in bytes
	 */
	public int maxValueLength() {
		return Integer.MAX_VALUE;
	}

	/**
	 * Return the values of a file this codec is benchmarked on: all of them unless it has
	 * a {@link #maxValueLength()}.
	 * @param values the file's values
	 * @return the values to use, in file order
	 */
	public List<byte[]> usable(List<byte[]> values) {
		int max = maxValueLength();
		if (max == Integer.MAX_VALUE) {
			return values;
		}
		return values.stream().filter((value) -> value.length <= max).toList();
	}

	/**
	 * Return how many values this codec stored uncompressed because compressing did not
	 * pay (only the serializer does that; the others always compress).
	 * @return the count, or -1 when the codec never stores plain
	 */
	public long storedPlainCount() {
		return -1;
	}

	/**
	 * Release what {@link #prepare(byte[], int)} allocated outside the heap.
	 * @param prepared the prepared inputs
	 */
	public void release(List<Object> prepared) {
	}

	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return this.name;
	}

	/**
	 * Compress every value and prepare its stored form for decompression.
	 * @param codec the codec
	 * @param values the original values
	 * @param storedLengths receives each stored length
	 * @return the prepared inputs, in value order
	 */
	static List<Object> prepareAll(CodecUnderTest codec, List<byte[]> values, int[] storedLengths) {
		List<Object> prepared = new ArrayList<>(values.size());
		for (int i = 0; i < values.size(); i++) {
			byte[] value = values.get(i);
			byte[] stored = codec.storedForm(value);
			storedLengths[i] = stored.length;
			prepared.add(codec.prepare(stored, value.length));
		}
		return prepared;
	}

	/**
	 * Stored bytes and the original length, for the native codecs whose blocks do not
	 * carry it.
	 *
	 * @param bytes the compressed bytes as stored
	 * @param originalLength the length of the value before compression
	 */
	record Sized(byte[] bytes, int originalLength) {
	}

	/** Our CompressingRedisSerializer wrapping the byte-array serializer. */
	static final class Serializer extends CodecUnderTest {

		private final CompressingRedisSerializer<byte[]> serializer;

		Serializer(String name, Algorithm algorithm, int level, boolean checksum) {
			super(name);
			this.serializer = CompressingRedisSerializer.of(RedisSerializer.byteArray(),
					benchmarkPolicy(algorithm, level, checksum));
		}

		Serializer(String name, ValueCompressor compressor) {
			super(name);
			this.serializer = new CompressingRedisSerializer<>(RedisSerializer.byteArray(), compressor);
		}

		@Override
		public Object compress(byte[] value) {
			return this.serializer.serialize(value);
		}

		@Override
		public byte[] storedForm(byte[] value) {
			return this.serializer.serialize(value);
		}

		@Override
		public Object prepare(byte[] stored, int originalLength) {
			return stored;
		}

		@Override
		public byte[] decompress(Object prepared) {
			return this.serializer.deserialize((byte[]) prepared);
		}

		@Override
		public long storedPlainCount() {
			return this.serializer.getCompressor().getStats().writes(WriteOutcome.NOT_WORTH_IT);
		}

		@Override
		public void close() {
			this.serializer.getCompressor().getCodecs().close();
			DictionaryProvider dictionaries = this.serializer.getCompressor().getDictionaries();
			if (dictionaries instanceof DictionaryRegistry registry) {
				registry.close();
			}
		}

	}

	/**
	 * A raw codec library without the serializer's header: compresses into a buffer
	 * reused by this thread and copies into an exact-size array, and decompresses into an
	 * array of the original length it is told (as a header would).
	 */
	abstract static class Native extends CodecUnderTest {

		private byte[] buffer = new byte[0];

		Native(String name) {
			super(name);
		}

		@Override
		public Object compress(byte[] value) {
			int bound = bound(value.length);
			byte[] buf = this.buffer;
			if (buf.length < bound) {
				buf = new byte[bound];
				this.buffer = buf;
			}
			int length = compressInto(value, buf, bound);
			return Arrays.copyOf(buf, length);
		}

		@Override
		public byte[] storedForm(byte[] value) {
			return (byte[]) compress(value);
		}

		@Override
		public Object prepare(byte[] stored, int originalLength) {
			return new Sized(stored, originalLength);
		}

		@Override
		public byte[] decompress(Object prepared) {
			Sized sized = (Sized) prepared;
			byte[] original = new byte[sized.originalLength()];
			decompressInto(sized.bytes(), original);
			return original;
		}

		abstract int bound(int length);

		abstract int compressInto(byte[] value, byte[] target, int bound);

		abstract void decompressInto(byte[] stored, byte[] original);

	}

	/**
	 * zstd-jni with one compression and one decompression context reused by this thread:
	 * the limit for a {@code byte[]} in, {@code byte[]} out codec. Same frame options as
	 * the serializer's codec.
	 */
	static final class NativeZstd extends Native {

		private final ZstdCompressCtx compressor = new ZstdCompressCtx();

		private final ZstdDecompressCtx decompressor = new ZstdDecompressCtx();

		NativeZstd(String name, int level) {
			super(name);
			this.compressor.setLevel(level);
			this.compressor.setContentSize(true);
			this.compressor.setChecksum(false);
			this.compressor.setDictID(false);
		}

		@Override
		int bound(int length) {
			return (int) Zstd.compressBound(length);
		}

		@Override
		int compressInto(byte[] value, byte[] target, int bound) {
			return this.compressor.compressByteArray(target, 0, bound, value, 0, value.length);
		}

		@Override
		void decompressInto(byte[] stored, byte[] original) {
			this.decompressor.decompressByteArray(original, 0, original.length, stored, 0, stored.length);
		}

		@Override
		public void close() {
			this.compressor.close();
			this.decompressor.close();
		}

	}

	/**
	 * lz4-java's fastest fast compressor and safe decompressor, same buffer discipline as
	 * zstd.
	 */
	static final class NativeLz4 extends Native {

		private final LZ4Compressor compressor;

		private final LZ4SafeDecompressor decompressor;

		NativeLz4(String name) {
			super(name);
			LZ4Factory factory = LZ4Factory.fastestInstance();
			this.compressor = factory.fastCompressor();
			this.decompressor = factory.safeDecompressor();
		}

		@Override
		int bound(int length) {
			return this.compressor.maxCompressedLength(length);
		}

		@Override
		int compressInto(byte[] value, byte[] target, int bound) {
			return this.compressor.compress(value, 0, value.length, target, 0, bound);
		}

		@Override
		void decompressInto(byte[] stored, byte[] original) {
			this.decompressor.decompress(stored, 0, stored.length, original, 0, original.length);
		}

	}

	/**
	 * A Redisson compression codec wrapping Redisson's ByteArrayCodec. The encoder's
	 * ByteBuf is released at once (Redisson releases it after writing it to the socket);
	 * the decoder reads from a direct ByteBuf, as netty hands it a receive buffer.
	 */
	static final class Redisson extends CodecUnderTest {

		private final Encoder encoder;

		private final Decoder<Object> decoder;

		private final State state = new State();

		private final int maxValueLength;

		Redisson(String name, Codec codec) {
			super(name);
			this.encoder = codec.getValueEncoder();
			this.decoder = codec.getValueDecoder();
			this.maxValueLength = (codec instanceof LZ4CodecV2) ? REDISSON_LZ4V2_MAX_VALUE : Integer.MAX_VALUE;
		}

		@Override
		public int maxValueLength() {
			return this.maxValueLength;
		}

		@Override
		public Object compress(byte[] value) {
			ByteBuf encoded = encode(value);
			encoded.release();
			return encoded;
		}

		@Override
		public byte[] storedForm(byte[] value) {
			ByteBuf encoded = encode(value);
			try {
				return ByteBufUtil.getBytes(encoded);
			}
			finally {
				encoded.release();
			}
		}

		private ByteBuf encode(byte[] value) {
			try {
				return this.encoder.encode(value);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public Object prepare(byte[] stored, int originalLength) {
			return Unpooled.directBuffer(stored.length, stored.length).writeBytes(stored);
		}

		@Override
		public byte[] decompress(Object prepared) {
			ByteBuf input = (ByteBuf) prepared;
			input.readerIndex(0);
			try {
				return (byte[]) this.decoder.decode(input, this.state);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public void release(List<Object> prepared) {
			for (Object input : prepared) {
				((ByteBuf) input).release();
			}
		}

	}

	/** Lettuce's CompressionCodec (gzip) wrapping Lettuce's ByteArrayCodec. */
	static final class LettuceGzip extends CodecUnderTest {

		private final RedisCodec<byte[], byte[]> codec = CompressionCodec
			.valueCompressor(io.lettuce.core.codec.ByteArrayCodec.INSTANCE, CompressionCodec.CompressionType.GZIP);

		LettuceGzip(String name) {
			super(name);
		}

		@Override
		public Object compress(byte[] value) {
			return this.codec.encodeValue(value);
		}

		@Override
		public byte[] storedForm(byte[] value) {
			ByteBuffer encoded = this.codec.encodeValue(value);
			byte[] bytes = new byte[encoded.remaining()];
			encoded.get(bytes);
			return bytes;
		}

		@Override
		public Object prepare(byte[] stored, int originalLength) {
			ByteBuffer direct = ByteBuffer.allocateDirect(stored.length);
			direct.put(stored).flip();
			return direct;
		}

		@Override
		public byte[] decompress(Object prepared) {
			ByteBuffer input = (ByteBuffer) prepared;
			input.position(0);
			return this.codec.decodeValue(input);
		}

	}

}
