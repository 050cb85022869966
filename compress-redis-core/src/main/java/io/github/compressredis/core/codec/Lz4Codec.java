package io.github.compressredis.core.codec;

import io.github.compressredis.core.format.DecodeFault;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.jspecify.annotations.Nullable;

/**
 * LZ4 block format through lz4-java ({@code at.yawk.lz4}). Level 0 uses the fast compressor,
 * levels 1 to 17 the high-compression one. The original length lives in the header, as the block
 * format does not carry it. Decoding uses only the bounds-checked safe decompressor.
 */
final class Lz4Codec extends Codec {

	/** An LZ4 block cannot expand by more than about 255:1; anything claiming more is forged. */
	static final long MAX_EXPANSION = 255;

	private final LZ4Compressor fast;

	private final LZ4Compressor[] high = new LZ4Compressor[Algorithm.LZ4.maxLevel() + 1];

	private final LZ4SafeDecompressor decompressor;

	private final ObjectPool<Scratch> scratches = new ObjectPool<>(ObjectPool.defaultCapacity(), Scratch::new,
			(scratch) -> {
			});

	Lz4Codec() {
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
			this.scratches.release(scratch);
		}
	}

	@Override
	public void decompress(byte[] source, int offset, int length, byte[] target) {
		checkDeclaredLength(source, offset, length, target.length);
		int decoded;
		try {
			decoded = this.decompressor.decompress(source, offset, length, target, 0, target.length);
		}
		catch (LZ4Exception ex) {
			throw fault(DecodeFault.CORRUPT, "is malformed or longer than declared: " + ex.getMessage(), ex);
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

	@Override
	public void close() {
		this.scratches.close();
	}

}
