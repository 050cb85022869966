package io.github.compressredis.core.foreign;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.codec.Codec;
import io.github.compressredis.core.internal.foreign.ForeignValue;
import io.github.compressredis.core.internal.format.WireFormatException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the foreign formats it is given, and only those. A value that carries a format's
 * magic and fails to decode is an error (never handed on as plain bytes); a value without
 * a magic (Redisson's codecs) is read as that format only if every strict check passes,
 * and is otherwise plain. Every decode checks the size the value declares, or the size it
 * decodes to, against a maximum before allocating it. Thread-safe.
 *
 * @author compress-redis contributors
 */
public final class ForeignFormats {

	private static final byte[] GLIDE_MAGIC = { 0x00, 0x01, 0x02 };

	private static final int GLIDE_HEADER = 5;

	private static final int GLIDE_ZSTD = 0x01;

	private static final int GLIDE_LZ4 = 0x02;

	private static final int ZSTD_MAGIC = 0xFD2FB528;

	private static final long ZSTD_UNKNOWN_SIZE = -1;

	private final Set<ForeignFormat> enabled;

	private final CodecRegistry codecs;

	private final Map<ForeignFormat, LongAdder> decoded = new EnumMap<>(ForeignFormat.class);

	/**
	 * Create a reader of the given formats.
	 * @param enabled the formats to read; an empty set reads none
	 * @param codecs the codecs to decode lz4 blocks and gzip members with
	 */
	public ForeignFormats(Set<ForeignFormat> enabled, CodecRegistry codecs) {
		this.enabled = Collections
			.unmodifiableSet(enabled.isEmpty() ? EnumSet.noneOf(ForeignFormat.class) : EnumSet.copyOf(enabled));
		this.codecs = Objects.requireNonNull(codecs, "'codecs' must not be null");
		for (ForeignFormat format : ForeignFormat.values()) {
			this.decoded.put(format, new LongAdder());
		}
	}

	/**
	 * Return the formats this reader reads.
	 * @return the formats
	 */
	public Set<ForeignFormat> enabled() {
		return this.enabled;
	}

	/**
	 * Return how many values of a format this reader decoded.
	 * @param format the format
	 * @return the count
	 */
	public long decoded(ForeignFormat format) {
		return this.decoded.get(format).sum();
	}

	/**
	 * Decode a value if it is in one of the enabled formats.
	 * @param stored the bytes read from Redis (not in compress-redis's own format)
	 * @param maxSize the largest original length to allocate
	 * ({@code max-decompressed-size})
	 * @return the decoded value, or {@code null} if the value is in none of the enabled
	 * formats
	 * @throws WireFormatException if the value carries an enabled format's magic but is
	 * corrupt, truncated or larger than {@code maxSize}
	 */
	public @Nullable ForeignValue decode(byte[] stored, int maxSize) {
		ForeignValue value = decodeEnabled(stored, maxSize);
		if (value != null) {
			this.decoded.get(value.format()).increment();
		}
		return value;
	}

	private @Nullable ForeignValue decodeEnabled(byte[] stored, int maxSize) {
		if (this.enabled.contains(ForeignFormat.GLIDE) && isGlide(stored)) {
			return glide(stored, maxSize);
		}
		if (this.enabled.contains(ForeignFormat.GZIP) && isGzip(stored)) {
			return new ForeignValue(ForeignFormat.GZIP, "gzip", gzip(stored, maxSize));
		}
		if (this.enabled.contains(ForeignFormat.ZSTD_FRAME) && isZstdFrame(stored, 0)) {
			return new ForeignValue(ForeignFormat.ZSTD_FRAME, "zstd", zstdFrame(stored, 0, -1, maxSize));
		}
		if (this.enabled.contains(ForeignFormat.LETTUCE_DEFLATE) && isZlib(stored)) {
			return new ForeignValue(ForeignFormat.LETTUCE_DEFLATE, "deflate", zlib(stored, maxSize));
		}
		if (this.enabled.contains(ForeignFormat.REDISSON_ZSTD)) {
			ForeignValue value = redissonZstd(stored, maxSize);
			if (value != null) {
				return value;
			}
		}
		if (this.enabled.contains(ForeignFormat.REDISSON_LZ4)) {
			return redissonLz4(stored, maxSize);
		}
		return null;
	}

	/**
	 * {@code 00 01 02}, version 0, backend 1 or 2: GLIDE's {@code create_header}.
	 * @param value the stored value
	 * @return whether the value starts with a GLIDE header
	 */
	static boolean isGlide(byte[] value) {
		return value.length >= GLIDE_HEADER && value[0] == GLIDE_MAGIC[0] && value[1] == GLIDE_MAGIC[1]
				&& value[2] == GLIDE_MAGIC[2];
	}

	static boolean isGzip(byte[] value) {
		return value.length >= 18 && (value[0] & 0xFF) == 0x1F && (value[1] & 0xFF) == 0x8B && value[2] == 8;
	}

	static boolean isZstdFrame(byte[] value, int offset) {
		return value.length >= offset + 4 && readIntLe(value, offset) == ZSTD_MAGIC;
	}

	/**
	 * CMF 0x78 (deflate, 32K window), FCHECK valid, no preset dictionary.
	 * @param value the stored value
	 * @return whether the value starts with a zlib header
	 */
	static boolean isZlib(byte[] value) {
		if (value.length < 6 || (value[0] & 0xFF) != 0x78) {
			return false;
		}
		int flg = value[1] & 0xFF;
		return ((0x78 << 8) | flg) % 31 == 0 && (flg & 0x20) == 0;
	}

	private ForeignValue glide(byte[] stored, int maxSize) {
		int version = stored[3] & 0xFF;
		int backend = stored[4] & 0xFF;
		if (version != 0) {
			throw new WireFormatException(DecodeFault.UNSUPPORTED_VERSION,
					"GLIDE compression header version " + version + " is not supported (only 0 is)");
		}
		if (backend == GLIDE_ZSTD) {
			if (!isZstdFrame(stored, GLIDE_HEADER)) {
				throw new WireFormatException(DecodeFault.CORRUPT, "GLIDE zstd value does not hold a zstd frame");
			}
			return new ForeignValue(ForeignFormat.GLIDE, "zstd", zstdFrame(stored, GLIDE_HEADER, -1, maxSize));
		}
		if (backend == GLIDE_LZ4) {
			if (stored.length < GLIDE_HEADER + 4) {
				throw new WireFormatException(DecodeFault.TRUNCATED, "GLIDE lz4 value ends inside its length");
			}
			long length = readIntLe(stored, GLIDE_HEADER) & 0xFFFFFFFFL;
			return new ForeignValue(ForeignFormat.GLIDE, "lz4", lz4Block(stored, GLIDE_HEADER + 4, length, maxSize));
		}
		throw new WireFormatException(DecodeFault.UNKNOWN_CODEC,
				"GLIDE compression backend " + backend + " is unknown (1 is zstd, 2 is lz4)");
	}

	private byte[] gzip(byte[] stored, int maxSize) {
		// ISIZE, the length modulo 2^32, is the last four bytes (little-endian)
		long length = readIntLe(stored, stored.length - 4) & 0xFFFFFFFFL;
		checkSize(length, maxSize, "gzip");
		byte[] original = new byte[(int) length];
		decodeWith(Algorithm.GZIP, stored, 0, stored.length, original);
		return original;
	}

	private byte[] zlib(byte[] stored, int maxSize) {
		Inflater inflater = new Inflater(false);
		try {
			inflater.setInput(stored);
			ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxSize, stored.length * 4));
			byte[] buffer = new byte[8192];
			while (!inflater.finished()) {
				int n = inflater.inflate(buffer);
				if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					throw new WireFormatException(DecodeFault.TRUNCATED, "zlib stream ends early");
				}
				if ((long) out.size() + n > maxSize) {
					throw tooLarge("lettuce-deflate", maxSize);
				}
				out.write(buffer, 0, n);
			}
			if (inflater.getRemaining() != 0) {
				throw new WireFormatException(DecodeFault.CORRUPT,
						inflater.getRemaining() + " bytes follow the zlib stream");
			}
			return out.toByteArray();
		}
		catch (DataFormatException ex) {
			throw new WireFormatException(DecodeFault.CORRUPT, "zlib stream is malformed: " + ex.getMessage(), ex);
		}
		finally {
			inflater.end();
		}
	}

	/**
	 * Decode the zstd frame at {@code offset}, which must end the value.
	 * @param stored the stored value
	 * @param offset the index of the frame
	 * @param expected the length the format declares, {@code -1} if it declares none
	 * @param maxSize the largest original size accepted
	 * @return the decoded bytes
	 */
	private byte[] zstdFrame(byte[] stored, int offset, long expected, int maxSize) {
		int length = stored.length - offset;
		long frameSize = Zstd.findFrameCompressedSize(stored, offset, length);
		if (Zstd.isError(frameSize)) {
			throw new WireFormatException(DecodeFault.CORRUPT,
					"zstd frame is malformed: " + Zstd.getErrorName(frameSize));
		}
		if (frameSize != length) {
			throw new WireFormatException(DecodeFault.CORRUPT, (length - frameSize) + " bytes follow the zstd frame");
		}
		long contentSize = Zstd.getFrameContentSize(stored, offset, length);
		if (contentSize >= 0) {
			checkSize(contentSize, maxSize, "zstd");
			if (expected >= 0 && contentSize != expected) {
				throw new WireFormatException(DecodeFault.LENGTH_MISMATCH,
						"zstd frame holds " + contentSize + " bytes, " + expected + " declared");
			}
			byte[] original = new byte[(int) contentSize];
			decodeWith(Algorithm.ZSTD, stored, offset, length, original);
			return original;
		}
		if (contentSize != ZSTD_UNKNOWN_SIZE) {
			throw new WireFormatException(DecodeFault.CORRUPT, "zstd frame header is malformed");
		}
		if (expected >= 0) {
			checkSize(expected, maxSize, "zstd");
		}
		// no content size in the frame (streaming writers): decode in bounded steps
		byte[] original = readBounded(stored, offset, length, (expected >= 0) ? (int) expected : maxSize);
		if (expected >= 0 && original.length != expected) {
			throw new WireFormatException(DecodeFault.LENGTH_MISMATCH,
					"zstd frame holds " + original.length + " bytes, " + expected + " declared");
		}
		return original;
	}

	private static byte[] readBounded(byte[] stored, int offset, int length, int max) {
		try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(stored, offset, length))) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, Math.max(64, length * 4)));
			byte[] buffer = new byte[8192];
			int n;
			while ((n = in.read(buffer)) > 0) {
				if ((long) out.size() + n > max) {
					throw tooLarge("zstd", max);
				}
				out.write(buffer, 0, n);
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new WireFormatException(DecodeFault.CORRUPT, "zstd frame is malformed: " + ex.getMessage(), ex);
		}
	}

	private byte[] lz4Block(byte[] stored, int offset, long length, int maxSize) {
		checkSize(length, maxSize, "lz4");
		byte[] original = new byte[(int) length];
		decodeWith(Algorithm.LZ4, stored, offset, stored.length - offset, original);
		return original;
	}

	/**
	 * Strict: a declared length that fits, a zstd frame that ends the value and holds
	 * exactly that.
	 * @param stored the stored value
	 * @param maxSize the largest original size accepted
	 * @return the decoded value, or {@code null} if it is not Redisson's zstd format
	 */
	private @Nullable ForeignValue redissonZstd(byte[] stored, int maxSize) {
		if (stored.length < 4 + 9 || !isZstdFrame(stored, 4)) {
			return null;
		}
		long length = readIntBe(stored, 0) & 0xFFFFFFFFL;
		if (length > maxSize) {
			throw tooLarge("redisson-zstd", maxSize);
		}
		return new ForeignValue(ForeignFormat.REDISSON_ZSTD, "zstd", zstdFrame(stored, 4, length, maxSize));
	}

	/**
	 * Strict: a declared length that fits and that the block can decode to, and a block
	 * that decodes to exactly that many bytes, consuming all of the value. Anything else
	 * is plain.
	 * @param stored the stored value
	 * @param maxSize the largest original size accepted
	 * @return the decoded value, or {@code null} if it is not Redisson's LZ4 format
	 */
	private @Nullable ForeignValue redissonLz4(byte[] stored, int maxSize) {
		if (stored.length < 5) {
			return null;
		}
		long length = readIntBe(stored, 0) & 0xFFFFFFFFL;
		int payload = stored.length - 4;
		// lz4 expands at most 255:1, and an lz4 block is never much longer than its input
		if (length == 0 || length > maxSize || length > 255L * payload || payload > length + length / 255 + 16) {
			return null;
		}
		try {
			return new ForeignValue(ForeignFormat.REDISSON_LZ4, "lz4", lz4Block(stored, 4, length, maxSize));
		}
		catch (WireFormatException ex) {
			return null;
		}
	}

	private void decodeWith(Algorithm algorithm, byte[] source, int offset, int length, byte[] target) {
		Codec codec = this.codecs.codec(algorithm);
		codec.checkDeclaredLength(source, offset, length, target.length);
		try {
			codec.decompress(source, offset, length, target);
		}
		catch (WireFormatException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new WireFormatException(DecodeFault.CORRUPT, algorithm.tag() + " payload is malformed: " + ex, ex);
		}
	}

	private static void checkSize(long length, int maxSize, String what) {
		if (length > maxSize) {
			throw tooLarge(what, maxSize);
		}
	}

	private static WireFormatException tooLarge(String what, int maxSize) {
		return new WireFormatException(DecodeFault.TOO_LARGE,
				what + " value decodes to more than max-decompressed-size (" + maxSize
						+ " bytes); raise compress.redis.max-decompressed-size if values this large are expected");
	}

	private static int readIntLe(byte[] b, int i) {
		return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16) | ((b[i + 3] & 0xFF) << 24);
	}

	private static int readIntBe(byte[] b, int i) {
		return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
	}

}
