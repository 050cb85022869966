package io.github.compressredis.core.stats;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;

/**
 * Receives every event {@link CompressionStats} counts, for recorders that need per-event values
 * (timers, distributions). Called on the hot path: implementations must be cheap and must not throw.
 */
public interface CompressionObserver {

	/** An observer that does nothing. */
	CompressionObserver NONE = new CompressionObserver() {
	};

	/**
	 * A value was written.
	 * @param outcome what happened to it
	 * @param algorithm the policy's algorithm
	 * @param originalBytes the delegate's bytes
	 * @param storedBytes the bytes stored
	 * @param nanos time spent compressing, {@code 0} when no compression was attempted
	 */
	default void written(WriteOutcome outcome, Algorithm algorithm, int originalBytes, int storedBytes, long nanos) {
	}

	/**
	 * A compressed value was read.
	 * @param algorithm its codec
	 * @param storedBytes the bytes read from Redis
	 * @param originalBytes the decoded bytes
	 * @param nanos time spent decoding
	 */
	default void decompressed(Algorithm algorithm, int storedBytes, int originalBytes, long nanos) {
	}

	/**
	 * A plain value was read and handed to the delegate unchanged.
	 * @param storedBytes its length
	 */
	default void plainRead(int storedBytes) {
	}

	/**
	 * A framed value could not be decoded.
	 * @param fault why
	 */
	default void readFailed(DecodeFault fault) {
	}

	/**
	 * A value was not written the way the policy asks (counted in addition to its outcome).
	 * @param reason why
	 */
	default void fellBack(FallbackReason reason) {
	}

	/**
	 * A cache entry that could not be decoded was treated as a miss.
	 */
	default void cacheFailedOpen() {
	}

}
