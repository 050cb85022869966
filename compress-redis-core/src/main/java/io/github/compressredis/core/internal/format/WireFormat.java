package io.github.compressredis.core.internal.format;

import java.util.function.Consumer;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

import io.github.compressredis.core.format.DecodeFault;
import org.jspecify.annotations.Nullable;

/**
 * The compress-redis wire format, versions 1 and 2. A framed value is <pre>
 * C1 8D | version:4 codec:4 | flags | varint original length | [varint dictionary id] | [check, 4 bytes BE] | payload
 * </pre> In version 1 the check is a CRC-32C of the original bytes, present only with the
 * checksum flag. In version 2 the check is always present and is a CRC-32C of the header
 * bytes before it, the dictionary's fingerprint (when the value names one) and, with the
 * checksum flag, the original bytes: header damage, a foreign value that happens to begin
 * with the magic and a value read with another dictionary than the one it was written
 * with all fail the check. Any value that does not begin with the two magic bytes is a
 * plain value. {@code FORMAT.md} is the normative description.
 *
 * @author compress-redis contributors
 */
public final class WireFormat {

	/**
	 * First magic byte: never valid in UTF-8, unused in MessagePack, not a JDK
	 * serialization stream.
	 */
	public static final byte MAGIC_0 = (byte) 0xC1;

	/** Second magic byte: undefined in Windows-1252, a C1 control in ISO-8859-1. */
	public static final byte MAGIC_1 = (byte) 0x8D;

	/**
	 * The format version writers write unless told otherwise, which every reader since
	 * 0.1.0 reads.
	 */
	public static final int VERSION = 1;

	/**
	 * The newest format version: readers read it and {@link #VERSION}; writers write it
	 * when told to.
	 */
	public static final int VERSION_2 = 2;

	/**
	 * Flag bit: a CRC32C of the original bytes follows the length (and dictionary id).
	 */
	public static final int FLAG_CHECKSUM = 0x01;

	/** Flag bit: a dictionary id follows the length. */
	public static final int FLAG_DICTIONARY = 0x02;

	/** Flag bits that must be zero in version 1. */
	static final int RESERVED_FLAGS = ~(FLAG_CHECKSUM | FLAG_DICTIONARY) & 0xFF;

	/** Largest original length the format can declare: the largest Java array. */
	public static final int MAX_ORIGINAL_LENGTH = Integer.MAX_VALUE - 8;

	/**
	 * Largest dictionary id the format can name (ids are allocated by {@code INCR}, up to
	 * 2^31 - 1).
	 */
	public static final int MAX_DICTIONARY_ID = Integer.MAX_VALUE;

	/** Smallest framed value: magic, version/codec, flags and a one-byte length. */
	public static final int MIN_HEADER_LENGTH = 5;

	private static final int CHECKSUM_LENGTH = 4;

	private WireFormat() {
	}

	/**
	 * Return whether the value begins with the magic, that is, whether a reader must
	 * treat it as framed. Values that do not are handed to the delegate serializer
	 * unchanged.
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
		return headerLength(VERSION, originalLength, dictionaryId, checksum);
	}

	/**
	 * Return the header length for the given fields in a format version.
	 * @param version the format version, 1 or 2
	 * @param originalLength the original length
	 * @param dictionaryId the dictionary id, {@code 0} for none
	 * @param checksum whether the check covers the original bytes (version 1: whether it
	 * is written)
	 * @return the number of header bytes
	 */
	public static int headerLength(int version, int originalLength, int dictionaryId, boolean checksum) {
		checkVersion(version);
		return 4 + varintLength(originalLength) + ((dictionaryId != 0) ? varintLength(dictionaryId) : 0)
				+ ((checksum || version == VERSION_2) ? CHECKSUM_LENGTH : 0);
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
		int pos = writeFields(VERSION, target, codecId, originalLength, dictionaryId, checksum);
		if (checksum) {
			pos = writeCheck(target, pos, crc32c);
		}
		return pos;
	}

	/**
	 * Write a header, computing its check, at the start of {@code target}, which must
	 * have room for {@link #headerLength(int, int, int, boolean)} bytes.
	 * @param version the format version, 1 or 2
	 * @param target the array that receives the header
	 * @param codecId the codec id (0 to 15)
	 * @param original the original bytes (their length is the original length)
	 * @param dictionaryId the dictionary id, {@code 0} for none
	 * @param dictionaryFingerprint the dictionary's fingerprint (see
	 * {@link #dictionaryFingerprint(byte[])}), ignored without a dictionary or in version
	 * 1
	 * @param checksum whether the check covers the original bytes (version 1: whether it
	 * is written)
	 * @return the number of bytes written
	 */
	public static int writeHeader(int version, byte[] target, int codecId, byte[] original, int dictionaryId,
			int dictionaryFingerprint, boolean checksum) {
		int pos = writeFields(version, target, codecId, original.length, dictionaryId, checksum);
		if (version == VERSION_2) {
			return writeCheck(target, pos,
					check(target, pos, dictionaryId, dictionaryFingerprint, checksum ? original : null));
		}
		return checksum ? writeCheck(target, pos, crc32c(original, 0, original.length)) : pos;
	}

	/**
	 * Write a header without a dictionary at the start of {@code target} for original
	 * bytes that are not in one array: {@code original} feeds them to the check (version
	 * 2: after the header bytes; version 1: alone), and is called only when the check
	 * covers them.
	 * @param version the format version, 1 or 2
	 * @param target the array that receives the header
	 * @param codecId the codec id (0 to 15)
	 * @param originalLength the original length
	 * @param checksum whether the check covers the original bytes (version 1: whether it
	 * is written)
	 * @param original feeds the original bytes to a CRC-32C
	 * @return the number of bytes written
	 */
	public static int writeHeader(int version, byte[] target, int codecId, int originalLength, boolean checksum,
			Consumer<Checksum> original) {
		int pos = writeFields(version, target, codecId, originalLength, 0, checksum);
		if (version != VERSION_2 && !checksum) {
			return pos;
		}
		CRC32C crc = new CRC32C();
		if (version == VERSION_2) {
			crc.update(target, 0, pos);
		}
		if (checksum) {
			original.accept(crc);
		}
		return writeCheck(target, pos, (int) crc.getValue());
	}

	/**
	 * Return a dictionary's fingerprint: the CRC-32C of its bytes, as in its store entry.
	 * @param dictionary the dictionary's bytes
	 * @return the fingerprint
	 */
	public static int dictionaryFingerprint(byte[] dictionary) {
		return crc32c(dictionary, 0, dictionary.length);
	}

	/**
	 * Compute a version 2 check: the CRC-32C of the header bytes before the check, the
	 * dictionary's fingerprint (4 bytes, big-endian) when the value names a dictionary,
	 * and the original bytes when given (the checksum flag).
	 * @param value the value, or a header being written
	 * @param checkOffset the index of the check field
	 * @param dictionaryId the value's dictionary id, {@code 0} for none
	 * @param dictionaryFingerprint the fingerprint of the dictionary read or written with
	 * @param original the original bytes, {@code null} when the check covers the header
	 * only
	 * @return the check
	 */
	public static int check(byte[] value, int checkOffset, int dictionaryId, int dictionaryFingerprint,
			byte @Nullable [] original) {
		CRC32C crc = new CRC32C();
		crc.update(value, 0, checkOffset);
		if (dictionaryId != 0) {
			crc.update(new byte[] { (byte) (dictionaryFingerprint >>> 24), (byte) (dictionaryFingerprint >>> 16),
					(byte) (dictionaryFingerprint >>> 8), (byte) dictionaryFingerprint });
		}
		if (original != null) {
			crc.update(original, 0, original.length);
		}
		return (int) crc.getValue();
	}

	private static void checkVersion(int version) {
		if (version != VERSION && version != VERSION_2) {
			throw new IllegalArgumentException("'version' must be 1 or 2, was " + version);
		}
	}

	private static int writeCheck(byte[] target, int pos, int check) {
		target[pos] = (byte) (check >>> 24);
		target[pos + 1] = (byte) (check >>> 16);
		target[pos + 2] = (byte) (check >>> 8);
		target[pos + 3] = (byte) check;
		return pos + CHECKSUM_LENGTH;
	}

	private static int writeFields(int version, byte[] target, int codecId, int originalLength, int dictionaryId,
			boolean checksum) {
		checkVersion(version);
		if (codecId < 0 || codecId > 15) {
			throw new IllegalArgumentException("'codecId' must be between 0 and 15, was " + codecId);
		}
		if (originalLength < 0 || dictionaryId < 0) {
			throw new IllegalArgumentException("'originalLength' and 'dictionaryId' must not be negative");
		}
		if (originalLength > MAX_ORIGINAL_LENGTH) {
			throw new IllegalArgumentException("'originalLength' must be at most " + MAX_ORIGINAL_LENGTH);
		}
		target[0] = MAGIC_0;
		target[1] = MAGIC_1;
		target[2] = (byte) ((version << 4) | codecId);
		target[3] = (byte) ((checksum ? FLAG_CHECKSUM : 0) | ((dictionaryId != 0) ? FLAG_DICTIONARY : 0));
		int pos = writeVarint(target, 4, originalLength);
		if (dictionaryId != 0) {
			pos = writeVarint(target, pos, dictionaryId);
		}
		return pos;
	}

	/**
	 * Parse the header of a framed value, in the order {@code FORMAT.md} section 3 gives.
	 * Checks structure only; the caller checks the codec, the declared length against its
	 * limit (before allocating anything of that size) and the check.
	 * @param value a value for which {@link #isFramed(byte[])} is {@code true}
	 * @return the header
	 * @throws WireFormatException if the header is truncated, malformed or of an unknown
	 * version
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
		if (version != VERSION && version != VERSION_2) {
			throw new WireFormatException(DecodeFault.UNSUPPORTED_VERSION,
					"format version " + version + " is not supported by this reader (it reads versions 1 and 2"
							+ "); upgrade compress-redis on this application to read values written by a newer one");
		}
		int flags = value[3] & 0xFF;
		if ((flags & RESERVED_FLAGS) != 0) {
			throw new WireFormatException(DecodeFault.CORRUPT,
					"reserved header flag bits are set (flags 0x" + Integer.toHexString(flags) + ")");
		}
		long lengthAndPos = readVarint(value, 4, "original length", MAX_ORIGINAL_LENGTH);
		int originalLength = (int) (lengthAndPos >>> 32);
		int pos = (int) lengthAndPos;
		int dictionaryId = 0;
		if ((flags & FLAG_DICTIONARY) != 0) {
			long dictAndPos = readVarint(value, pos, "dictionary id", MAX_DICTIONARY_ID);
			dictionaryId = (int) (dictAndPos >>> 32);
			pos = (int) dictAndPos;
			if (dictionaryId == 0) {
				throw new WireFormatException(DecodeFault.CORRUPT, "dictionary flag set with dictionary id 0");
			}
		}
		boolean checksumPresent = (flags & FLAG_CHECKSUM) != 0;
		int checksum = 0;
		if (checksumPresent || version == VERSION_2) {
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
	 * Read a canonical LEB128 varint of at most five bytes whose value fits a
	 * non-negative int.
	 * @param value the stored value
	 * @param start the index of the varint
	 * @param what the field's name, for the fault's message
	 * @param max the largest value allowed
	 * @return the value in the upper 32 bits and the position after it in the lower 32
	 * bits
	 */
	private static long readVarint(byte[] value, int start, String what, long max) {
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
				if (result > max) {
					throw new WireFormatException(DecodeFault.CORRUPT,
							what + " " + result + " exceeds the format's maximum of " + max);
				}
				return (result << 32) | pos;
			}
		}
		throw new WireFormatException(DecodeFault.CORRUPT, what + " is longer than five bytes");
	}

}
