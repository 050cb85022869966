package io.github.compressredis.core.codec;

import java.util.function.IntFunction;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdException;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.format.WireFormatException;
import org.jspecify.annotations.Nullable;

/**
 * Zstandard through zstd-jni. The payload is one standard zstd frame with its content size, so
 * {@code zstd -d} reads it. Compression and decompression contexts are pooled.
 */
final class ZstdCodec extends Codec {

	/** Magic, a two-byte frame header and one block header. */
	static final int MIN_FRAME_LENGTH = 9;

	/** The four bytes every standard zstd frame begins with, and a magicless frame omits. */
	static final int MAGIC_LENGTH = 4;

	private final ObjectPool<Compressor> compressors = new ObjectPool<>(ObjectPool.defaultCapacity(),
			() -> new Compressor(false), Compressor::close);

	private final ObjectPool<ZstdDecompressCtx> decompressors = new ObjectPool<>(ObjectPool.defaultCapacity(),
			ZstdDecompressCtx::new, ZstdDecompressCtx::close);

	@Override
	public Algorithm algorithm() {
		return Algorithm.ZSTD;
	}

	@Override
	public byte @Nullable [] compress(byte[] source, int level, int headerLength, int maxPayloadLength) {
		return compress(this.compressors, null, source, level, headerLength, maxPayloadLength);
	}

	/**
	 * Compress with a pooled context into its scratch buffer and copy the exact size out; shared
	 * with the dictionary codec, which passes the digested dictionary to load for a level.
	 */
	static byte @Nullable [] compress(ObjectPool<Compressor> compressors,
			@Nullable IntFunction<ZstdDictCompress> dictionary, byte[] source, int level, int headerLength,
			int maxPayloadLength) {
		Compressor compressor = compressors.borrow();
		try {
			int bound = (int) Zstd.compressBound(source.length);
			byte[] scratch = compressor.scratch.get(bound);
			int length = compressor.context(level, dictionary)
				.compressByteArray(scratch, 0, bound, source, 0, source.length);
			return output(scratch, length, headerLength, maxPayloadLength);
		}
		finally {
			compressors.release(compressor);
		}
	}

	@Override
	public void checkDeclaredLength(byte[] source, int offset, int length, int declaredLength) {
		checkFrame(this, source, offset, length, declaredLength);
	}

	/**
	 * Check a zstd frame's header against the declared length; shared with the dictionary codec.
	 */
	static void checkFrame(Codec owner, byte[] source, int offset, int length, int declaredLength) {
		checkFrame(owner, source, offset, length, declaredLength, false);
	}

	/**
	 * Check a standard or magicless zstd frame's header against the declared length.
	 */
	static void checkFrame(Codec owner, byte[] source, int offset, int length, int declaredLength,
			boolean magicless) {
		int minimum = magicless ? MIN_FRAME_LENGTH - MAGIC_LENGTH : MIN_FRAME_LENGTH;
		if (length < minimum) {
			throw owner.fault(DecodeFault.TRUNCATED, "of " + length + " bytes is shorter than the smallest zstd frame");
		}
		if (magicless) {
			checkMagiclessHeader(owner, source[offset], length);
		}
		long contentSize;
		try {
			contentSize = Zstd.getFrameContentSize(source, offset, length, magicless);
		}
		catch (ZstdException ex) {
			throw owner.fault(DecodeFault.CORRUPT, "has no valid zstd frame header: " + ex.getMessage(), ex);
		}
		// -1 is "unknown", allowed for frames written by other tools; other negative values are errors
		if (contentSize < -1) {
			throw owner.fault(DecodeFault.CORRUPT, "has no valid zstd frame header (" + contentSize + ")");
		}
		if (contentSize >= 0 && contentSize != declaredLength) {
			throw owner.fault(DecodeFault.LENGTH_MISMATCH,
					"frame declares " + contentSize + " bytes but the header declares " + declaredLength);
		}
	}

	/**
	 * Check what zstd-jni's content size lookup reports only as "0" for a magicless frame: the frame
	 * header descriptor's reserved bit, that the header and a block header fit, and that the frame
	 * has the content size every compress-redis writer puts in it.
	 */
	private static void checkMagiclessHeader(Codec owner, byte descriptor, int length) {
		int bits = descriptor & 0xFF;
		if ((bits & 0x08) != 0) {
			throw owner.fault(DecodeFault.CORRUPT, "has a zstd frame header with its reserved bit set");
		}
		int contentSizeFlag = bits >>> 6;
		boolean singleSegment = (bits & 0x20) != 0;
		int contentSizeLength = switch (contentSizeFlag) {
			case 0 -> singleSegment ? 1 : 0;
			case 1 -> 2;
			case 2 -> 4;
			default -> 8;
		};
		if (contentSizeLength == 0) {
			throw owner.fault(DecodeFault.CORRUPT,
					"has a zstd frame without a content size, which compress-redis always writes");
		}
		int dictionaryIdLength = switch (bits & 0x03) {
			case 0 -> 0;
			case 1 -> 1;
			case 2 -> 2;
			default -> 4;
		};
		int headerLength = 1 + (singleSegment ? 0 : 1) + dictionaryIdLength + contentSizeLength;
		if (length < headerLength + 3) {
			throw owner.fault(DecodeFault.TRUNCATED, "of " + length + " bytes is shorter than its zstd frame header ("
					+ headerLength + " bytes) and a block header");
		}
	}

	/**
	 * Map a zstd decoding error to the fault a reader reports.
	 */
	static WireFormatException decodeFailure(Codec owner, ZstdException ex) {
		String message = String.valueOf(ex.getMessage());
		DecodeFault fault = message.contains("Src size") || message.contains("srcSize") ? DecodeFault.TRUNCATED
				: message.contains("Destination buffer is too small") ? DecodeFault.LENGTH_MISMATCH
						: DecodeFault.CORRUPT;
		return owner.fault(fault, "cannot be decoded: " + message, ex);
	}

	@Override
	public void decompress(byte[] source, int offset, int length, byte[] target) {
		decompress(this, this.decompressors, source, offset, length, target);
	}

	/**
	 * Decode with a pooled context (with or without a dictionary loaded), after checking the frame
	 * header against the declared length and before checking the decoded length.
	 */
	static void decompress(Codec owner, ObjectPool<ZstdDecompressCtx> decompressors, byte[] source, int offset,
			int length, byte[] target) {
		owner.checkDeclaredLength(source, offset, length, target.length);
		decompressFrame(owner, decompressors, source, offset, length, target);
	}

	/**
	 * Decode a frame whose header was checked with a pooled context set up for its format.
	 */
	static void decompressFrame(Codec owner, ObjectPool<ZstdDecompressCtx> decompressors, byte[] source, int offset,
			int length, byte[] target) {
		ZstdDecompressCtx context = decompressors.borrow();
		int decoded;
		try {
			decoded = context.decompressByteArray(target, 0, target.length, source, offset, length);
		}
		catch (ZstdException ex) {
			throw decodeFailure(owner, ex);
		}
		finally {
			decompressors.release(context);
		}
		owner.checkDecodedLength(decoded, target);
	}

	@Override
	public void close() {
		this.compressors.close();
		this.decompressors.close();
	}

	/**
	 * Whether a payload begins with the standard zstd magic number ({@code 28 B5 2F FD}). A valid
	 * magicless frame cannot: its first byte would be a frame header descriptor with the reserved
	 * bit set.
	 */
	static boolean hasMagic(byte[] source, int offset, int length) {
		return length >= MAGIC_LENGTH && source[offset] == (byte) 0x28 && source[offset + 1] == (byte) 0xB5
				&& source[offset + 2] == (byte) 0x2F && source[offset + 3] == (byte) 0xFD;
	}

	/**
	 * A pooled compression context and its scratch buffer; with a dictionary, the digested
	 * dictionary for the level is loaded whenever the level changes (it carries the level).
	 */
	static final class Compressor {

		private final ZstdCompressCtx context = new ZstdCompressCtx();

		private final Scratch scratch = new Scratch();

		private int level = Integer.MIN_VALUE;

		/**
		 * Create a context writing frames with their content size and no zstd dictionary id or
		 * checksum (the value's header carries those).
		 * @param magicless whether frames omit zstd's four-byte magic number
		 */
		Compressor(boolean magicless) {
			this.context.setContentSize(true);
			this.context.setChecksum(false);
			this.context.setDictID(false);
			this.context.setMagicless(magicless);
		}

		ZstdCompressCtx context(int level, @Nullable IntFunction<ZstdDictCompress> dictionary) {
			if (this.level != level) {
				this.context.setLevel(level);
				if (dictionary != null) {
					this.context.loadDict(dictionary.apply(level));
				}
				this.level = level;
			}
			return this.context;
		}

		void close() {
			this.context.close();
		}

	}

}
