package io.github.compressredis.core.internal.codec;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import org.jspecify.annotations.Nullable;

/**
 * Deflate through the JDK's zlib, either raw (RFC 1951) or as one gzip member (RFC 1952)
 * that the {@code gzip} tool reads. Deflaters (one pool per level) and inflaters are
 * pooled, as each holds native zlib memory.
 *
 * @author compress-redis contributors
 */
public final class DeflateCodec extends Codec {

	/** Deflate cannot expand by more than 1032:1; anything claiming more is forged. */
	static final long MAX_EXPANSION = 1032;

	private static final int GZIP_HEADER_LENGTH = 10;

	private static final int GZIP_TRAILER_LENGTH = 8;

	/**
	 * Fixed gzip header: no name, no time stamp (so output is deterministic), OS unknown.
	 */
	private static final byte[] GZIP_HEADER = { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff };

	private static final int FTEXT_MASK = 0x01;

	private static final int FHCRC = 0x02;

	private static final int FEXTRA = 0x04;

	private static final int FNAME = 0x08;

	private static final int FCOMMENT = 0x10;

	private final boolean gzip;

	@SuppressWarnings("unchecked")
	private final ObjectPool<Compressor>[] compressors = new ObjectPool[Algorithm.GZIP.maxLevel() + 1];

	private final ObjectPool<Inflater> inflaters = new ObjectPool<>(ObjectPool.defaultCapacity(),
			() -> new Inflater(true), Inflater::end);

	public DeflateCodec(boolean gzip) {
		this.gzip = gzip;
		for (int level = 0; level < this.compressors.length; level++) {
			int poolLevel = level;
			this.compressors[level] = new ObjectPool<>(ObjectPool.defaultCapacity(), () -> new Compressor(poolLevel),
					Compressor::close);
		}
	}

	@Override
	public Algorithm algorithm() {
		return this.gzip ? Algorithm.GZIP : Algorithm.DEFLATE;
	}

	@Override
	public byte @Nullable [] compress(byte[] source, int level, int headerLength, int maxPayloadLength) {
		ObjectPool<Compressor> pool = this.compressors[level];
		Compressor compressor = pool.borrow();
		try {
			int framing = this.gzip ? GZIP_HEADER_LENGTH + GZIP_TRAILER_LENGTH : 0;
			// zlib's deflateBound for raw deflate, plus a margin
			int bound = source.length + (source.length >>> 12) + (source.length >>> 14) + (source.length >>> 25) + 64
					+ framing;
			byte[] scratch = compressor.scratch.get(bound);
			int position = 0;
			if (this.gzip) {
				System.arraycopy(GZIP_HEADER, 0, scratch, 0, GZIP_HEADER_LENGTH);
				position = GZIP_HEADER_LENGTH;
			}
			Deflater deflater = compressor.deflater;
			deflater.reset();
			deflater.setInput(source, 0, source.length);
			deflater.finish();
			position += deflater.deflate(scratch, position, bound - position - (this.gzip ? GZIP_TRAILER_LENGTH : 0));
			if (!deflater.finished()) {
				throw new IllegalStateException("deflate output exceeded its bound of " + bound + " bytes");
			}
			if (this.gzip) {
				CRC32 crc = new CRC32();
				crc.update(source, 0, source.length);
				position = writeIntLe(scratch, position, (int) crc.getValue());
				position = writeIntLe(scratch, position, source.length);
			}
			return output(scratch, position, headerLength, maxPayloadLength);
		}
		finally {
			compressor.scratch.release();
			pool.release(compressor);
		}
	}

	@Override
	public void decompress(byte[] source, int offset, int length, byte[] target) {
		int start = deflateStart(source, offset, length, target.length);
		int end = offset + length - (this.gzip ? GZIP_TRAILER_LENGTH : 0);
		inflate(source, start, end - start, target);
		if (this.gzip) {
			CRC32 crc = new CRC32();
			crc.update(target, 0, target.length);
			if ((int) crc.getValue() != readIntLe(source, end)) {
				throw fault(DecodeFault.CHECKSUM_MISMATCH, "does not match its gzip CRC32");
			}
		}
	}

	@Override
	public void checkDeclaredLength(byte[] source, int offset, int length, int declaredLength) {
		deflateStart(source, offset, length, declaredLength);
	}

	/**
	 * Check the gzip framing and the declared length against the payload.
	 * @param source the stored value
	 * @param offset the index of the payload
	 * @param length the length of the payload
	 * @param declaredLength the original length the header declares
	 * @return the index of the first deflate byte
	 */
	private int deflateStart(byte[] source, int offset, int length, int declaredLength) {
		int start = offset;
		int end = offset + length;
		if (this.gzip) {
			if (length < GZIP_HEADER_LENGTH + GZIP_TRAILER_LENGTH) {
				throw fault(DecodeFault.TRUNCATED, "of " + length + " bytes is shorter than the smallest gzip member");
			}
			int isize = readIntLe(source, end - 4);
			if (isize != declaredLength) {
				throw fault(DecodeFault.LENGTH_MISMATCH, "trailer declares " + Integer.toUnsignedString(isize)
						+ " bytes but the header declares " + declaredLength);
			}
			start = skipGzipHeader(source, offset, end - GZIP_TRAILER_LENGTH);
			end -= GZIP_TRAILER_LENGTH;
		}
		if (declaredLength > MAX_EXPANSION * (end - start) + 64) {
			throw fault(DecodeFault.LENGTH_MISMATCH, "of " + (end - start) + " bytes cannot decode to the "
					+ declaredLength + " bytes the header declares");
		}
		return start;
	}

	private void inflate(byte[] source, int offset, int length, byte[] target) {
		Inflater inflater = this.inflaters.borrow();
		try {
			inflater.reset();
			inflater.setInput(source, offset, length);
			int total = 0;
			while (total < target.length) {
				int count = inflater.inflate(target, total, target.length - total);
				if (count == 0) {
					if (inflater.needsDictionary()) {
						throw fault(DecodeFault.CORRUPT, "asks for a preset dictionary");
					}
					break;
				}
				total += count;
			}
			if (!inflater.finished()) {
				if (total < target.length) {
					throw fault(DecodeFault.TRUNCATED,
							"ends after " + total + " of the " + target.length + " bytes the header declares");
				}
				// the output is full: either the stream ends here or it holds more than
				// declared
				byte[] probe = new byte[1];
				if (inflater.inflate(probe) > 0) {
					throw fault(DecodeFault.LENGTH_MISMATCH,
							"decodes to more than the " + target.length + " bytes the header declares");
				}
				if (!inflater.finished()) {
					throw fault(DecodeFault.TRUNCATED, "ends before its deflate stream does");
				}
			}
			if (total != target.length) {
				throw fault(DecodeFault.LENGTH_MISMATCH,
						"decoded to " + total + " bytes but the header declares " + target.length);
			}
			if (inflater.getRemaining() != 0) {
				throw fault(DecodeFault.CORRUPT,
						"has " + inflater.getRemaining() + " unexpected bytes after its deflate stream");
			}
		}
		catch (DataFormatException ex) {
			throw fault(DecodeFault.CORRUPT, "is not a valid deflate stream: " + ex.getMessage(), ex);
		}
		finally {
			this.inflaters.release(inflater);
		}
	}

	/**
	 * Skip a gzip member header, honouring every optional field of RFC 1952 so that
	 * members written by other tools are read too.
	 * @param source the stored value
	 * @param offset the index of the gzip member
	 * @param limit the index after the payload
	 * @return the index of the first deflate byte
	 */
	private int skipGzipHeader(byte[] source, int offset, int limit) {
		if (source[offset] != 0x1f || source[offset + 1] != (byte) 0x8b || source[offset + 2] != 8) {
			throw fault(DecodeFault.CORRUPT, "does not start with a gzip deflate member header");
		}
		int flags = source[offset + 3] & 0xFF;
		if ((flags & ~(FTEXT_MASK | FHCRC | FEXTRA | FNAME | FCOMMENT)) != 0) {
			throw fault(DecodeFault.CORRUPT, "has reserved gzip flags set");
		}
		int position = offset + GZIP_HEADER_LENGTH;
		if ((flags & FEXTRA) != 0) {
			if (position + 2 > limit) {
				throw fault(DecodeFault.TRUNCATED, "ends inside its gzip extra field");
			}
			position += 2 + ((source[position] & 0xFF) | (source[position + 1] & 0xFF) << 8);
		}
		if ((flags & FNAME) != 0) {
			position = skipZeroTerminated(source, position, limit);
		}
		if ((flags & FCOMMENT) != 0) {
			position = skipZeroTerminated(source, position, limit);
		}
		if ((flags & FHCRC) != 0) {
			if (position + 2 > limit) {
				throw fault(DecodeFault.TRUNCATED, "ends inside its gzip header");
			}
			CRC32 crc = new CRC32();
			crc.update(source, offset, position - offset);
			if (((int) crc.getValue() & 0xFFFF) != ((source[position] & 0xFF) | (source[position + 1] & 0xFF) << 8)) {
				throw fault(DecodeFault.CHECKSUM_MISMATCH, "does not match its gzip header CRC (FHCRC)");
			}
			position += 2;
		}
		if (position > limit) {
			throw fault(DecodeFault.TRUNCATED, "ends inside its gzip header");
		}
		return position;
	}

	private int skipZeroTerminated(byte[] source, int position, int limit) {
		for (int i = position; i < limit; i++) {
			if (source[i] == 0) {
				return i + 1;
			}
		}
		throw fault(DecodeFault.TRUNCATED, "ends inside a gzip header string");
	}

	private static int writeIntLe(byte[] target, int position, int value) {
		target[position] = (byte) value;
		target[position + 1] = (byte) (value >>> 8);
		target[position + 2] = (byte) (value >>> 16);
		target[position + 3] = (byte) (value >>> 24);
		return position + 4;
	}

	private static int readIntLe(byte[] source, int position) {
		return (source[position] & 0xFF) | (source[position + 1] & 0xFF) << 8 | (source[position + 2] & 0xFF) << 16
				| (source[position + 3] & 0xFF) << 24;
	}

	@Override
	public void close() {
		for (ObjectPool<Compressor> pool : this.compressors) {
			pool.close();
		}
		this.inflaters.close();
	}

	private static final class Compressor {

		private final Deflater deflater;

		private final Scratch scratch = new Scratch();

		Compressor(int level) {
			this.deflater = new Deflater(level, true);
		}

		void close() {
			this.deflater.end();
		}

	}

}
