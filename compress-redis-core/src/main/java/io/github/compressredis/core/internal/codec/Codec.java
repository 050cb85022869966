package io.github.compressredis.core.internal.codec;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.format.WireFormatException;
import org.jspecify.annotations.Nullable;

/**
 * One compression algorithm: compresses into a single exact-size output array and decodes
 * into a caller-sized array, checking that the payload produces exactly the declared
 * length. Instances are thread-safe; their native contexts are pooled and released by
 * {@link #close()}.
 *
 * @author compress-redis contributors
 */
public abstract class Codec implements AutoCloseable {

	/**
	 * Scratch buffers up to this size stay with their pooled worker; larger ones are
	 * borrowed from the {@link ScratchPool#SHARED shared pool}, bounded in total bytes,
	 * and given back after each value.
	 */
	static final int MAX_RETAINED_SCRATCH = 256 * 1024;

	/**
	 * Return the algorithm this codec implements.
	 * @return the algorithm
	 */
	public abstract Algorithm algorithm();

	/**
	 * Compress {@code source} into a new array holding {@code headerLength} reserved
	 * bytes followed by the payload, or return {@code null} when the payload would be
	 * longer than {@code maxPayloadLength} (not worth storing compressed).
	 * @param source the bytes to compress
	 * @param level the level, valid for {@link #algorithm()}
	 * @param headerLength the number of bytes to reserve at the front for the header
	 * @param maxPayloadLength the longest payload worth keeping
	 * @return the output array, exactly {@code headerLength} + payload long, or
	 * {@code null}
	 */
	public abstract byte @Nullable [] compress(byte[] source, int level, int headerLength, int maxPayloadLength);

	/**
	 * Decode the payload {@code source[offset, offset + length)} into all of
	 * {@code target}.
	 * @param source the stored value
	 * @param offset the first payload byte
	 * @param length the payload length
	 * @param target the array to fill; its length is the declared original length
	 * @throws WireFormatException if the payload is corrupt, truncated, or does not
	 * decode to exactly {@code target.length} bytes
	 */
	public abstract void decompress(byte[] source, int offset, int length, byte[] target);

	/**
	 * Check what the payload says about its length (or can at most decode to) against the
	 * declared length, so that a reader refuses a forged length before it allocates that
	 * many bytes. {@link #decompress} makes the same check.
	 * @param source the stored value
	 * @param offset the first payload byte
	 * @param length the payload length
	 * @param declaredLength the original length the header declares
	 * @throws WireFormatException if the payload cannot decode to {@code declaredLength}
	 * bytes
	 */
	public abstract void checkDeclaredLength(byte[] source, int offset, int length, int declaredLength);

	@Override
	public void close() {
	}

	/**
	 * Copy the payload from a scratch buffer into the exact-size output.
	 * @param scratch the buffer the payload was compressed into
	 * @param payloadLength the length of the payload in the buffer
	 * @param headerLength the space to leave before the payload for the header
	 * @param maxPayloadLength the largest payload worth storing
	 * @return the header space followed by the payload, or {@code null} if the payload is
	 * longer than {@code maxPayloadLength}
	 */
	static byte @Nullable [] output(byte[] scratch, int payloadLength, int headerLength, int maxPayloadLength) {
		if (payloadLength > maxPayloadLength) {
			return null;
		}
		byte[] output = new byte[headerLength + payloadLength];
		System.arraycopy(scratch, 0, output, headerLength, payloadLength);
		return output;
	}

	WireFormatException fault(DecodeFault fault, String message) {
		return new WireFormatException(fault, algorithm().tag() + " payload " + message);
	}

	WireFormatException fault(DecodeFault fault, String message, Throwable cause) {
		return new WireFormatException(fault, algorithm().tag() + " payload " + message, cause);
	}

	void checkDecodedLength(int decoded, byte[] target) {
		if (decoded != target.length) {
			throw fault(DecodeFault.LENGTH_MISMATCH,
					"decoded to " + decoded + " bytes but the header declares " + target.length);
		}
	}

	/**
	 * A reusable scratch array owned by one pooled worker: up to
	 * {@link #MAX_RETAINED_SCRATCH} bytes of its own, a bigger one borrowed from the
	 * shared pool until {@link #release()}.
	 */
	static final class Scratch {

		private final ScratchPool pool;

		private byte[] buffer = new byte[0];

		private byte @Nullable [] borrowed;

		Scratch() {
			this(ScratchPool.SHARED);
		}

		Scratch(ScratchPool pool) {
			this.pool = pool;
		}

		/**
		 * Return an array of at least {@code size} bytes; call {@link #release()} once
		 * done.
		 * @param size the minimum length
		 * @return a scratch array, possibly longer than {@code size}
		 */
		byte[] get(int size) {
			if (this.buffer.length >= size) {
				return this.buffer;
			}
			if (size > MAX_RETAINED_SCRATCH) {
				release();
				byte[] large = this.pool.borrow(size);
				this.borrowed = large;
				return large;
			}
			// grow geometrically to avoid a reallocation for every slightly larger value
			this.buffer = new byte[Math.min(MAX_RETAINED_SCRATCH, Math.max(size, this.buffer.length * 2))];
			return this.buffer;
		}

		/**
		 * Give a borrowed array back to the shared pool (nothing to do for the worker's
		 * own).
		 */
		void release() {
			byte[] large = this.borrowed;
			if (large != null) {
				this.borrowed = null;
				this.pool.release(large);
			}
		}

	}

}
