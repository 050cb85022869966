package io.github.compressredis.core.internal.codec;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.jspecify.annotations.Nullable;

/**
 * LZ4 block format through lz4-java ({@code at.yawk.lz4}). Level 0 uses the fast
 * compressor, levels 1 to 17 the high-compression one. The original length lives in the
 * header, as the block format does not carry it. Decoding uses only the bounds-checked
 * safe decompressor.
 *
 * @author compress-redis contributors
 */
public final class Lz4Codec extends Codec {

	/**
	 * An LZ4 block cannot expand by more than about 255:1; anything claiming more is
	 * forged.
	 */
	static final long MAX_EXPANSION = 255;

	private final LZ4Compressor fast;

	private final LZ4Compressor[] high = new LZ4Compressor[Algorithm.LZ4.maxLevel() + 1];

	private final LZ4SafeDecompressor decompressor;

	private final ObjectPool<Scratch> scratches = new ObjectPool<>(ObjectPool.defaultCapacity(), Scratch::new,
			(scratch) -> {
			});

	public Lz4Codec() {
		LZ4Factory factory = LZ4Factory.fastestInstance();
		this.fast = factory.fastCompressor();
		for (int level = 1; level < this.high.length; level++) {
			this.high[level] = factory.highCompressor(level);
		}
		this.decompressor = factory.safeDecompressor();
	}

	@Override
	public Algorithm algorithm() {
		return Algorithm.LZ4;
	}

	@Override
	public byte @Nullable [] compress(byte[] source, int level, int headerLength, int maxPayloadLength) {
		LZ4Compressor compressor = (level == 0) ? this.fast : this.high[level];
		Scratch scratch = this.scratches.borrow();
		try {
			int bound = compressor.maxCompressedLength(source.length);
			byte[] buffer = scratch.get(bound);
			int length = compressor.compress(source, 0, source.length, buffer, 0, bound);
			return output(buffer, length, headerLength, maxPayloadLength);
		}
		finally {
			scratch.release();
			this.scratches.release(scratch);
		}
	}

	@Override
	public void decompress(byte[] source, int offset, int length, byte[] target) {
		checkDeclaredLength(source, offset, length, target.length);
		checkSequences(source, offset, length, target.length);
		int decoded;
		try {
			decoded = this.decompressor.decompress(source, offset, length, target, 0, target.length);
		}
		catch (LZ4Exception ex) {
			throw fault(DecodeFault.CORRUPT, "is malformed: " + ex.getMessage(), ex);
		}
		checkDecodedLength(decoded, target);
	}

	@Override
	public void checkDeclaredLength(byte[] source, int offset, int length, int declaredLength) {
		if (declaredLength > MAX_EXPANSION * length + 64) {
			throw fault(DecodeFault.LENGTH_MISMATCH,
					"of " + length + " bytes cannot decode to the " + declaredLength + " bytes the header declares");
		}
	}

	/**
	 * Walk the block's sequences without copying anything, as {@code FORMAT.md} section 3
	 * says, so that every reader refuses the same blocks with the same fault: among them
	 * a match offset of 0, which the LZ4 block format forbids and the reference decoder
	 * would fill with zeros.
	 * @param source the stored value
	 * @param offset the index of the block
	 * @param length the length of the block
	 * @param declaredLength the original length the header declares
	 */
	void checkSequences(byte[] source, int offset, int length, int declaredLength) {
		int end = offset + length;
		int pos = offset;
		long output = 0;
		while (true) {
			if (pos >= end) {
				throw fault(DecodeFault.TRUNCATED, "ends before an lz4 sequence token");
			}
			int token = source[pos++] & 0xFF;
			long literals = token >>> 4;
			if (literals == 15) {
				long extended = extendedLength(source, pos, end, "literal");
				literals += extended >>> 32;
				pos = (int) extended;
			}
			if (literals > end - pos) {
				throw fault(DecodeFault.TRUNCATED, "ends inside lz4 literals");
			}
			pos += (int) literals;
			output += literals;
			if (output > declaredLength) {
				throw fault(DecodeFault.LENGTH_MISMATCH,
						"decodes to more than the " + declaredLength + " bytes the header declares");
			}
			if (pos == end) {
				break;
			}
			if (output > declaredLength - 12L || pos > end - 8) {
				throw fault(DecodeFault.CORRUPT, "has an lz4 sequence after literals that must be the block's last");
			}
			int matchOffset = (source[pos] & 0xFF) | (source[pos + 1] & 0xFF) << 8;
			pos += 2;
			if (matchOffset == 0 || matchOffset > output) {
				throw fault(DecodeFault.CORRUPT,
						"has an lz4 match offset of " + matchOffset + " after " + output + " decoded bytes");
			}
			long match = (token & 0x0F) + 4L;
			if ((token & 0x0F) == 15) {
				long extended = extendedLength(source, pos, end, "match");
				match += extended >>> 32;
				pos = (int) extended;
			}
			output += match;
			if (output > declaredLength) {
				throw fault(DecodeFault.LENGTH_MISMATCH,
						"decodes to more than the " + declaredLength + " bytes the header declares");
			}
			if (output > declaredLength - 5L) {
				throw fault(DecodeFault.CORRUPT, "has an lz4 match within the last 5 bytes, which must be literals");
			}
		}
		if (output != declaredLength) {
			throw fault(DecodeFault.LENGTH_MISMATCH,
					"decodes to " + output + " bytes but the header declares " + declaredLength);
		}
	}

	/**
	 * Read the bytes that extend a literal or match length: each added, until one is not
	 * 255.
	 * @param source the stored value
	 * @param start the index of the first length byte
	 * @param end the index after the block
	 * @param what {@code literal} or {@code match}, for the fault's message
	 * @return the sum (at most {@code Integer.MAX_VALUE}) in the upper 32 bits, the
	 * position after the bytes in the lower 32 bits
	 */
	private long extendedLength(byte[] source, int start, int end, String what) {
		long sum = 0;
		int pos = start;
		int b;
		do {
			if (pos >= end) {
				throw fault(DecodeFault.TRUNCATED, "ends inside an lz4 " + what + " length");
			}
			b = source[pos++] & 0xFF;
			// saturated: anything this long is above the declared length, which is then
			// reported
			sum = Math.min(sum + b, Integer.MAX_VALUE);
		}
		while (b == 255);
		return (sum << 32) | pos;
	}

	@Override
	public void close() {
		this.scratches.close();
	}

}
