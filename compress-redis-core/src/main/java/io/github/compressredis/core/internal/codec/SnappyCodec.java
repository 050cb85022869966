package io.github.compressredis.core.internal.codec;

import java.io.IOException;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import org.jspecify.annotations.Nullable;
import org.xerial.snappy.Snappy;

/**
 * Snappy raw format through snappy-java. Only created when snappy-java is on the
 * classpath and its native library loads.
 *
 * @author compress-redis contributors
 */
public final class SnappyCodec extends Codec {

	private final ObjectPool<Scratch> scratches = new ObjectPool<>(ObjectPool.defaultCapacity(), Scratch::new,
			(scratch) -> {
			});

	public SnappyCodec() {
		// load the native library now so that a platform without it fails here, not on
		// first use
		Snappy.maxCompressedLength(1);
	}

	@Override
	public Algorithm algorithm() {
		return Algorithm.SNAPPY;
	}

	@Override
	public byte @Nullable [] compress(byte[] source, int level, int headerLength, int maxPayloadLength) {
		Scratch scratch = this.scratches.borrow();
		try {
			byte[] buffer = scratch.get(Snappy.maxCompressedLength(source.length));
			int length = Snappy.compress(source, 0, source.length, buffer, 0);
			return output(buffer, length, headerLength, maxPayloadLength);
		}
		catch (IOException ex) {
			throw new IllegalStateException("snappy compression failed: " + ex.getMessage(), ex);
		}
		finally {
			scratch.release();
			this.scratches.release(scratch);
		}
	}

	@Override
	public void decompress(byte[] source, int offset, int length, byte[] target) {
		// snappy writes as many bytes as its own length prefix says: it must equal
		// target.length
		checkDeclaredLength(source, offset, length, target.length);
		try {
			if (!Snappy.isValidCompressedBuffer(source, offset, length)) {
				throw fault(DecodeFault.CORRUPT, "is not a valid snappy block");
			}
			checkDecodedLength(Snappy.uncompress(source, offset, length, target, 0), target);
		}
		catch (IOException ex) {
			throw fault(DecodeFault.CORRUPT, "is not a valid snappy block: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void checkDeclaredLength(byte[] source, int offset, int length, int declaredLength) {
		if (length == 0) {
			throw fault(DecodeFault.TRUNCATED, "is empty");
		}
		int declared;
		try {
			declared = Snappy.uncompressedLength(source, offset, length);
		}
		catch (IOException ex) {
			throw fault(DecodeFault.CORRUPT, "is not a valid snappy block: " + ex.getMessage(), ex);
		}
		if (declared != declaredLength) {
			throw fault(DecodeFault.LENGTH_MISMATCH,
					"declares " + declared + " bytes but the header declares " + declaredLength);
		}
	}

	@Override
	public void close() {
		this.scratches.close();
	}

}
