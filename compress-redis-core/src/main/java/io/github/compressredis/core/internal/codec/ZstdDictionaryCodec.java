package io.github.compressredis.core.internal.codec;

import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntFunction;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.format.WireFormat;
import org.jspecify.annotations.Nullable;

/**
 * Zstandard with one trained dictionary. The payload is a zstd frame in zstd's magicless
 * format (a standard frame without its four-byte magic number, and without zstd's own
 * dictionary id or checksum): the values a dictionary is for are small, and those (up to
 * eight) bytes would be a tenth of them. The value's header names the dictionary.
 * {@code zstd -d -D dictionary} reads the payload with {@code 28 B5 2F FD} put in front.
 * Standard frames (which begin with that magic, as a valid magicless frame cannot) are
 * read too. The digested dictionary is prepared once per level and shared by pooled
 * contexts; {@link #close()} releases all of it.
 *
 * @author compress-redis contributors
 */
public final class ZstdDictionaryCodec extends Codec {

	private static final Cleaner CLEANER = Cleaner.create();

	private final int id;

	private final byte[] dictionary;

	private final int fingerprint;

	private final ZstdDictDecompress decompressDictionary;

	private final ConcurrentMap<Integer, ZstdDictCompress> compressDictionaries = new ConcurrentHashMap<>();

	private final ObjectPool<ZstdCodec.Compressor> compressors = new ObjectPool<>(ObjectPool.defaultCapacity(),
			() -> new ZstdCodec.Compressor(true), ZstdCodec.Compressor::close);

	/** Held once so that a compression does not allocate a method reference. */
	private final IntFunction<ZstdDictCompress> compressDictionaryForLevel = this::compressDictionary;

	private final ObjectPool<ZstdDecompressCtx> decompressors;

	private final Cleaner.Cleanable cleanable;

	/** Contexts for standard frames, created on first use. */
	private final ObjectPool<ZstdDecompressCtx> standardDecompressors;

	/**
	 * Prepare a dictionary.
	 * @param id the dictionary's id (non-zero), as written in value headers
	 * @param dictionary the zstd dictionary (trained, or raw content)
	 */
	public ZstdDictionaryCodec(int id, byte[] dictionary) {
		if (id == 0) {
			throw new IllegalArgumentException("'id' must not be 0");
		}
		Objects.requireNonNull(dictionary, "'dictionary' must not be null");
		if (dictionary.length == 0) {
			throw new IllegalArgumentException("'dictionary' must not be empty");
		}
		this.id = id;
		this.dictionary = dictionary.clone();
		this.fingerprint = WireFormat.dictionaryFingerprint(this.dictionary);
		ZstdDictDecompress digested = new ZstdDictDecompress(this.dictionary);
		this.decompressDictionary = digested;
		this.decompressors = new ObjectPool<>(ObjectPool.defaultCapacity(), () -> newDecompressor(digested, true),
				ZstdDecompressCtx::close);
		this.standardDecompressors = new ObjectPool<>(ObjectPool.defaultCapacity(),
				() -> newDecompressor(digested, false), ZstdDecompressCtx::close);
		// nothing the release action holds refers back to this codec, so it runs once the
		// codec is unreachable
		this.cleanable = CLEANER.register(this, new Release(this.compressors, this.decompressors,
				this.standardDecompressors, this.compressDictionaries, digested));
	}

	/**
	 * Return the dictionary id written in headers.
	 * @return the id
	 */
	public int id() {
		return this.id;
	}

	/**
	 * Return the dictionary's fingerprint (the CRC-32C of its bytes), which format
	 * version 2 checks so that a value never decodes with another dictionary than the one
	 * it was written with.
	 * @return the fingerprint
	 */
	public int fingerprint() {
		return this.fingerprint;
	}

	/**
	 * Return the dictionary's size in bytes.
	 * @return the size
	 */
	public int size() {
		return this.dictionary.length;
	}

	@Override
	public Algorithm algorithm() {
		return Algorithm.ZSTD;
	}

	@Override
	public byte @Nullable [] compress(byte[] source, int level, int headerLength, int maxPayloadLength) {
		return ZstdCodec.compress(this.compressors, this.compressDictionaryForLevel, source, level, headerLength,
				maxPayloadLength);
	}

	@Override
	public void checkDeclaredLength(byte[] source, int offset, int length, int declaredLength) {
		ZstdCodec.checkFrame(this, source, offset, length, declaredLength, !ZstdCodec.hasMagic(source, offset, length));
	}

	@Override
	public void decompress(byte[] source, int offset, int length, byte[] target) {
		boolean standard = ZstdCodec.hasMagic(source, offset, length);
		ZstdCodec.checkFrame(this, source, offset, length, target.length, !standard);
		ZstdCodec.decompressFrame(this, standard ? this.standardDecompressors : this.decompressors, source, offset,
				length, target);
	}

	/**
	 * Release the native memory now. A codec that is dropped without being closed (a
	 * reader's cache evicts dictionaries while readers may still hold them) releases it
	 * once it is unreachable.
	 */
	@Override
	public void close() {
		this.cleanable.clean();
	}

	/**
	 * zstd-jni refuses to close a dictionary a context still references (a call in flight
	 * while the application shuts down); its cleaner frees it once that context is gone.
	 * @param dictionary the digested dictionary to close
	 */
	private static void release(AutoCloseable dictionary) {
		try {
			dictionary.close();
		}
		catch (Exception ex) {
			// left to the cleaner
		}
	}

	private static ZstdDecompressCtx newDecompressor(ZstdDictDecompress dictionary, boolean magicless) {
		ZstdDecompressCtx context = new ZstdDecompressCtx();
		context.setMagicless(magicless);
		context.loadDict(dictionary);
		return context;
	}

	/**
	 * A digested dictionary carries its level, which takes priority over the context's.
	 * @param level the zstd level
	 * @return the dictionary digested for that level
	 */
	private ZstdDictCompress compressDictionary(int level) {
		return this.compressDictionaries.computeIfAbsent(level, (key) -> new ZstdDictCompress(this.dictionary, key));
	}

	/** Closes the pools and digested dictionaries of a codec, at most once. */
	private record Release(ObjectPool<ZstdCodec.Compressor> compressors, ObjectPool<ZstdDecompressCtx> decompressors,
			ObjectPool<ZstdDecompressCtx> standardDecompressors,
			ConcurrentMap<Integer, ZstdDictCompress> compressDictionaries,
			ZstdDictDecompress decompressDictionary) implements Runnable {

		@Override
		public void run() {
			this.compressors.close();
			this.decompressors.close();
			this.standardDecompressors.close();
			this.compressDictionaries.values().forEach(ZstdDictionaryCodec::release);
			this.compressDictionaries.clear();
			release(this.decompressDictionary);
		}

	}

}
