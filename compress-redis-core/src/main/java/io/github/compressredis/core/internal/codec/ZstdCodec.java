package io.github.compressredis.core.internal.codec;

import java.util.function.IntFunction;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdException;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.format.WireFormatException;
import org.jspecify.annotations.Nullable;

/**
 * Zstandard through zstd-jni. The payload is one standard zstd frame with its content
 * size, so {@code zstd -d} reads it. Compression and decompression contexts are pooled.
 *
 * @author compress-redis contributors
 */
public final class ZstdCodec extends Codec {

	/**
	 * The four bytes every standard zstd frame begins with, and a magicless frame omits.
	 */
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
	 * Compress with a pooled context into its scratch buffer and copy the exact size out;
	 * shared with the dictionary codec, which passes the digested dictionary to load for
	 * a level.
	 * @param compressors the pool of compression contexts
	 * @param dictionary the digested dictionary for a level, or {@code null} for none
	 * @param source the value to compress
	 * @param level the zstd level
	 * @param headerLength the space to leave before the payload for the header
	 * @param maxPayloadLength the largest payload worth storing
	 * @return the header space followed by the payload, or {@code null} if the payload is
	 * longer than {@code maxPayloadLength}
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
			compressor.scratch.release();
			compressors.release(compressor);
		}
	}

	@Override
	public void checkDeclaredLength(byte[] source, int offset, int length, int declaredLength) {
		checkFrame(this, source, offset, length, declaredLength);
	}

	/**
	 * Check a zstd frame's header against the declared length; shared with the dictionary
	 * codec.
	 * @param owner the codec that reports a fault
	 * @param source the stored value
	 * @param offset the index of the frame
	 * @param length the length of the frame
	 * @param declaredLength the original length the header declares
	 */
	static void checkFrame(Codec owner, byte[] source, int offset, int length, int declaredLength) {
		checkFrame(owner, source, offset, length, declaredLength, false);
	}

	/**
	 * Walk a standard or magicless zstd frame's header and block headers, as
	 * {@code FORMAT.md} section 3 describes: the payload must be exactly one frame with
	 * its content size, equal to the declared length, without a zstd dictionary id, and
	 * nothing after it.
	 * @param owner the codec that reports a fault
	 * @param source the stored value
	 * @param offset the index of the frame
	 * @param length the length of the frame
	 * @param declaredLength the original length the header declares
	 * @param magicless whether the frame omits the magic number
	 */
	static void checkFrame(Codec owner, byte[] source, int offset, int length, int declaredLength, boolean magicless) {
		int end = offset + length;
		int pos = offset;
		if (!magicless) {
			if (length < MAGIC_LENGTH) {
				throw owner.fault(DecodeFault.TRUNCATED, "of " + length + " bytes ends inside the zstd magic number");
			}
			if (!hasMagic(source, offset, length)) {
				throw owner.fault(DecodeFault.CORRUPT, "does not begin with the zstd magic number 28 B5 2F FD");
			}
			pos += MAGIC_LENGTH;
		}
		if (pos >= end) {
			throw owner.fault(DecodeFault.TRUNCATED, "ends before its zstd frame header");
		}
		int descriptor = source[pos] & 0xFF;
		if ((descriptor & 0x08) != 0) {
			throw owner.fault(DecodeFault.CORRUPT, "has a zstd frame header with its reserved bit set");
		}
		boolean singleSegment = (descriptor & 0x20) != 0;
		int contentSizeLength = switch (descriptor >>> 6) {
			case 0 -> singleSegment ? 1 : 0;
			case 1 -> 2;
			case 2 -> 4;
			default -> 8;
		};
		if (contentSizeLength == 0) {
			throw owner.fault(DecodeFault.CORRUPT,
					"has a zstd frame without a content size, which compress-redis always writes");
		}
		int dictionaryIdLength = switch (descriptor & 0x03) {
			case 0 -> 0;
			case 1 -> 1;
			case 2 -> 2;
			default -> 4;
		};
		int headerLength = 1 + (singleSegment ? 0 : 1) + dictionaryIdLength + contentSizeLength;
		if (end - pos < headerLength) {
			throw owner.fault(DecodeFault.TRUNCATED, "ends inside its zstd frame header");
		}
		pos += 1 + (singleSegment ? 0 : 1);
		if (readLittleEndian(source, pos, dictionaryIdLength) != 0) {
			throw owner.fault(DecodeFault.CORRUPT, "has a zstd frame naming a zstd dictionary id, which "
					+ "compress-redis never writes (the value's header names its dictionary)");
		}
		pos += dictionaryIdLength;
		long contentSize = readLittleEndian(source, pos, contentSizeLength) + ((contentSizeLength == 2) ? 256 : 0);
		pos += contentSizeLength;
		if (contentSize != declaredLength) {
			throw owner.fault(DecodeFault.LENGTH_MISMATCH, "frame declares " + Long.toUnsignedString(contentSize)
					+ " bytes but the header declares " + declaredLength);
		}
		boolean last = false;
		while (!last) {
			if (end - pos < 3) {
				throw owner.fault(DecodeFault.TRUNCATED, "ends inside a zstd block header");
			}
			int block = (int) readLittleEndian(source, pos, 3);
			pos += 3;
			last = (block & 1) != 0;
			int type = (block >>> 1) & 0x03;
			if (type == 3) {
				throw owner.fault(DecodeFault.CORRUPT, "has a zstd block of the reserved type");
			}
			int contentLength = (type == 1) ? 1 : block >>> 3;
			if (end - pos < contentLength) {
				throw owner.fault(DecodeFault.TRUNCATED, "ends inside a zstd block");
			}
			pos += contentLength;
		}
		if ((descriptor & 0x04) != 0) {
			if (end - pos < 4) {
				throw owner.fault(DecodeFault.TRUNCATED, "ends inside its zstd content checksum");
			}
			pos += 4;
		}
		if (pos != end) {
			throw owner.fault(DecodeFault.CORRUPT, "has " + (end - pos)
					+ " bytes after its zstd frame (another frame, a skippable frame or other bytes)");
		}
	}

	private static long readLittleEndian(byte[] source, int pos, int length) {
		long value = 0;
		for (int i = length - 1; i >= 0; i--) {
			value = (value << 8) | (source[pos + i] & 0xFF);
		}
		return value;
	}

	/**
	 * Map a zstd decoding error to the fault a reader reports. The frame walk has already
	 * reported truncation, trailing bytes and a wrong content size, so whatever zstd
	 * refuses after it (a malformed block, more or fewer bytes than the content size, a
	 * wrong content checksum) is {@code corrupt}, whatever its error code; the message
	 * names the code, never parses it.
	 * @param owner the codec that reports the fault
	 * @param ex zstd's error
	 * @return the exception to throw
	 */
	static WireFormatException decodeFailure(Codec owner, ZstdException ex) {
		return owner.fault(DecodeFault.CORRUPT,
				"cannot be decoded: zstd error " + ex.getErrorCode() + " (" + ex.getMessage() + ")", ex);
	}

	@Override
	public void decompress(byte[] source, int offset, int length, byte[] target) {
		decompress(this, this.decompressors, source, offset, length, target);
	}

	/**
	 * Decode with a pooled context (with or without a dictionary loaded), after checking
	 * the frame header against the declared length and before checking the decoded
	 * length.
	 * @param owner the codec that reports a fault
	 * @param decompressors the pool of decompression contexts
	 * @param source the stored value
	 * @param offset the index of the frame
	 * @param length the length of the frame
	 * @param target the array to decode into, of the declared length
	 */
	static void decompress(Codec owner, ObjectPool<ZstdDecompressCtx> decompressors, byte[] source, int offset,
			int length, byte[] target) {
		owner.checkDeclaredLength(source, offset, length, target.length);
		decompressFrame(owner, decompressors, source, offset, length, target);
	}

	/**
	 * Decode a frame whose header was checked with a pooled context set up for its
	 * format.
	 * @param owner the codec that reports a fault
	 * @param decompressors the pool of decompression contexts
	 * @param source the stored value
	 * @param offset the index of the frame
	 * @param length the length of the frame
	 * @param target the array to decode into, of the declared length
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
	 * Whether a payload begins with the standard zstd magic number ({@code 28 B5 2F FD}).
	 * A valid magicless frame cannot: its first byte would be a frame header descriptor
	 * with the reserved bit set.
	 * @param source the stored value
	 * @param offset the index of the payload
	 * @param length the length of the payload
	 * @return whether the payload starts with the magic number
	 */
	static boolean hasMagic(byte[] source, int offset, int length) {
		return length >= MAGIC_LENGTH && source[offset] == (byte) 0x28 && source[offset + 1] == (byte) 0xB5
				&& source[offset + 2] == (byte) 0x2F && source[offset + 3] == (byte) 0xFD;
	}

	/**
	 * A pooled compression context and its scratch buffer; with a dictionary, the
	 * digested dictionary for the level is loaded whenever the level changes (it carries
	 * the level).
	 */
	static final class Compressor {

		private final ZstdCompressCtx context = new ZstdCompressCtx();

		private final Scratch scratch = new Scratch();

		private int level = Integer.MIN_VALUE;

		/**
		 * Create a context writing frames with their content size and no zstd dictionary
		 * id or checksum (the value's header carries those).
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
