package io.github.compressredis.core.format;

import java.util.zip.CRC32C;

/**
 * The compress-redis wire format, version 1. A framed value is
 * <pre>
 * C1 8D | version:4 codec:4 | flags | varint original length | [varint dictionary id] | [CRC32C, 4 bytes BE] | payload
 * </pre>
 * Any value that does not begin with the two magic bytes is a plain value. {@code FORMAT.md} is
 * the normative description and explains the choice of magic.
 */
public final class WireFormat {

	/** First magic byte: never valid in UTF-8, unused in MessagePack, not a JDK serialization stream. */
	public static final byte MAGIC_0 = (byte) 0xC1;

	/** Second magic byte: undefined in Windows-1252, a C1 control in ISO-8859-1. */
	public static final byte MAGIC_1 = (byte) 0x8D;

	/** The format version this class writes and reads. */
	public static final int VERSION = 1;

	/** Flag bit: a CRC32C of the original bytes follows the length (and dictionary id). */
	public static final int FLAG_CHECKSUM = 0x01;

	/** Flag bit: a dictionary id follows the length. */
	public static final int FLAG_DICTIONARY = 0x02;

	/** Flag bits that must be zero in version 1. */
	static final int RESERVED_FLAGS = ~(FLAG_CHECKSUM | FLAG_DICTIONARY) & 0xFF;

	/** Largest original length the format can declare: the largest Java array. */
	public static final int MAX_ORIGINAL_LENGTH = Integer.MAX_VALUE - 8;

	/** Smallest framed value: magic, version/codec, flags and a one-byte length. */
	public static final int MIN_HEADER_LENGTH = 5;

	private static final int CHECKSUM_LENGTH = 4;

	private WireFormat() {
	}

	/**
	 * Return whether the value begins with the magic, that is, whether a reader must treat it as
	 * framed. Values that do not are handed to the delegate serializer unchanged.
	 * @param value the stored value
	 * @return whether the value is framed
	 */
	public static boolean isFramed(byte[] value) {
		return value.length >= 2 && value[0] == MAGIC_0 && value[1] == MAGIC_1;
	}

	/**
	 * Return the header length for the given fields.
	 * @param originalLength the original length
	 * @param dictionaryId the dictionary id, {@code 0} for none
	 * @param checksum whether a checksum is written
	 * @return the number of header bytes
	 */
	public static int headerLength(int originalLength, int dictionaryId, boolean checksum) {
		return 4 + varintLength(originalLength) + ((dictionaryId != 0) ? varintLength(dictionaryId) : 0)
				+ (checksum ? CHECKSUM_LENGTH : 0);
	}

	/**
	 * Write a header at the start of {@code target}, which must have room for
	 * {@link #headerLength(int, int, boolean)} bytes.
	 * @param target the array that receives the header
	 * @param codecId the codec id (0 to 15)
	 * @param originalLength the original length
	 * @param dictionaryId the dictionary id, {@code 0} for none
	 * @param checksum whether to write the checksum
	 * @param crc32c the CRC32C of the original bytes, used when {@code checksum} is set
	 * @return the number of bytes written
	 */
	public static int writeHeader(byte[] target, int codecId, int originalLength, int dictionaryId, boolean checksum,
			int crc32c) {
		if (codecId < 0 || codecId > 15) {
			throw new IllegalArgumentException("'codecId' must be between 0 and 15, was " + codecId);
		}
		if (originalLength < 0 || dictionaryId < 0) {
			throw new IllegalArgumentException("'originalLength' and 'dictionaryId' must not be negative");
		}
		target[0] = MAGIC_0;
		target[1] = MAGIC_1;
		target[2] = (byte) ((VERSION << 4) | codecId);
		target[3] = (byte) ((checksum ? FLAG_CHECKSUM : 0) | ((dictionaryId != 0) ? FLAG_DICTIONARY : 0));
		int pos = writeVarint(target, 4, originalLength);
		if (dictionaryId != 0) {
			pos = writeVarint(target, pos, dictionaryId);
		}
		if (checksum) {
			target[pos++] = (byte) (crc32c >>> 24);
			target[pos++] = (byte) (crc32c >>> 16);
			target[pos++] = (byte) (crc32c >>> 8);
			target[pos++] = (byte) crc32c;
		}
		return pos;
	}

	/**
	 * Parse the header of a framed value. Checks structure only; the caller checks the declared
	 * length against its limit before allocating anything of that size.
	 * @param value a value for which {@link #isFramed(byte[])} is {@code true}
	 * @return the header
	 * @throws WireFormatException if the header is truncated, malformed or of an unknown version
	 */
	public static Header parse(byte[] value) {
		if (!isFramed(value)) {
			throw new IllegalArgumentException("'value' does not begin with the compress-redis magic");
		}
		if (value.length < MIN_HEADER_LENGTH) {
			throw new WireFormatException(DecodeFault.TRUNCATED,
					"header truncated: " + value.length + " bytes, at least " + MIN_HEADER_LENGTH + " needed");
		}
		int version = (value[2] >>> 4) & 0x0F;
		int codecId = value[2] & 0x0F;
		if (version != VERSION) {
			throw new WireFormatException(DecodeFault.UNSUPPORTED_VERSION, "format version " + version
					+ " is not supported by this reader (it reads version " + VERSION
					+ "); upgrade compress-redis on this application to read values written by a newer one");
		}
		int flags = value[3] & 0xFF;
		if ((flags & RESERVED_FLAGS) != 0) {
			throw new WireFormatException(DecodeFault.CORRUPT,
					"reserved header flag bits are set (flags 0x" + Integer.toHexString(flags) + ")");
		}
		long lengthAndPos = readVarint(value, 4, "original length");
		int originalLength = (int) (lengthAndPos >>> 32);
		int pos = (int) lengthAndPos;
		int dictionaryId = 0;
		if ((flags & FLAG_DICTIONARY) != 0) {
			long dictAndPos = readVarint(value, pos, "dictionary id");
			dictionaryId = (int) (dictAndPos >>> 32);
			pos = (int) dictAndPos;
			if (dictionaryId == 0) {
				throw new WireFormatException(DecodeFault.CORRUPT, "dictionary flag set with dictionary id 0");
			}
		}
		boolean checksumPresent = (flags & FLAG_CHECKSUM) != 0;
		int checksum = 0;
		if (checksumPresent) {
			if (value.length < pos + CHECKSUM_LENGTH) {
				throw new WireFormatException(DecodeFault.TRUNCATED, "header truncated inside the checksum");
			}
			checksum = ((value[pos] & 0xFF) << 24) | ((value[pos + 1] & 0xFF) << 16) | ((value[pos + 2] & 0xFF) << 8)
					| (value[pos + 3] & 0xFF);
			pos += CHECKSUM_LENGTH;
		}
		return new Header(version, codecId, originalLength, dictionaryId, checksumPresent, checksum, pos);
	}

	/**
	 * Compute the CRC32C (Castagnoli) of a byte range, as stored in the header.
	 * @param bytes the bytes
	 * @param offset the first byte
	 * @param length the number of bytes
	 * @return the checksum as an int (unsigned 32 bits)
	 */
	public static int crc32c(byte[] bytes, int offset, int length) {
		CRC32C crc = new CRC32C();
		crc.update(bytes, offset, length);
		return (int) crc.getValue();
	}

	static int varintLength(int value) {
		int length = 1;
		int v = value >>> 7;
		while (v != 0) {
			length++;
			v >>>= 7;
		}
		return length;
	}

	private static int writeVarint(byte[] target, int pos, int value) {
		int v = value;
		while ((v & ~0x7F) != 0) {
			target[pos++] = (byte) ((v & 0x7F) | 0x80);
			v >>>= 7;
		}
		target[pos++] = (byte) v;
		return pos;
	}

	/**
	 * Read a canonical LEB128 varint of at most five bytes whose value fits a non-negative int.
	 * @return the value in the upper 32 bits and the position after it in the lower 32 bits
	 */
	private static long readVarint(byte[] value, int start, String what) {
		long result = 0;
		int pos = start;
		for (int shift = 0; shift < 35; shift += 7) {
			if (pos >= value.length) {
				throw new WireFormatException(DecodeFault.TRUNCATED, "header truncated inside the " + what);
			}
			int b = value[pos++] & 0xFF;
			result |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				if (b == 0 && shift > 0) {
					throw new WireFormatException(DecodeFault.CORRUPT, what + " is not minimally encoded");
				}
				if (result > MAX_ORIGINAL_LENGTH) {
					throw new WireFormatException(DecodeFault.CORRUPT,
							what + " " + result + " exceeds the format's maximum of " + MAX_ORIGINAL_LENGTH);
				}
				return (result << 32) | pos;
			}
		}
		throw new WireFormatException(DecodeFault.CORRUPT, what + " is longer than five bytes");
	}

}
