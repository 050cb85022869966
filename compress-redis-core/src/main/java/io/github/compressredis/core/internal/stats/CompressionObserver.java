package io.github.compressredis.core.internal.stats;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import org.jspecify.annotations.Nullable;

/**
 * Times each codec call {@link CompressionStats} counts: every compression of a value the
 * policy asks to compress (at least {@code min-size}) and every decoding of a framed
 * value. A call begins with {@code compressing}/{@code decompressing}, whose handle (an
 * Observation, or {@code null}) comes back with the call's end. Called on the hot path:
 * implementations must be cheap and must not throw. One observer per statistics tree (see
 * {@link CompressionStats#setObserver}); one that records into several registries fans
 * out itself.
 *
 * @author compress-redis contributors
 */
public interface CompressionObserver {

	/** An observer that does nothing. */
	CompressionObserver NONE = new CompressionObserver() {
	};

	/**
	 * A value is about to be compressed.
	 * @param target the name of the statistics (the target) it is counted in
	 * @param algorithm the policy's algorithm
	 * @param originalBytes the delegate's bytes
	 * @return a handle passed back with the end of the call, {@code null} for none
	 */
	default @Nullable Object compressing(String target, Algorithm algorithm, int originalBytes) {
		return null;
	}

	/**
	 * A value was written after a compression attempt.
	 * @param target the name of the statistics (the target) it is counted in
	 * @param observation what {@link #compressing} returned
	 * @param outcome what happened to it
	 * @param algorithm the policy's algorithm
	 * @param originalBytes the delegate's bytes
	 * @param storedBytes the bytes stored
	 * @param nanos time spent compressing
	 */
	default void written(String target, @Nullable Object observation, WriteOutcome outcome, Algorithm algorithm,
			int originalBytes, int storedBytes, long nanos) {
	}

	/**
	 * A framed value is about to be decoded.
	 * @param target the name of the statistics (the target) it is counted in
	 * @param storedBytes the bytes read from Redis
	 * @return a handle passed back with the end of the call, {@code null} for none
	 */
	default @Nullable Object decompressing(String target, int storedBytes) {
		return null;
	}

	/**
	 * A compressed value was read.
	 * @param target the name of the statistics (the target) it is counted in
	 * @param observation what {@link #decompressing} returned
	 * @param algorithm its codec
	 * @param storedBytes the bytes read from Redis
	 * @param originalBytes the decoded bytes
	 * @param nanos time spent decoding
	 */
	default void decompressed(String target, @Nullable Object observation, Algorithm algorithm, int storedBytes,
			int originalBytes, long nanos) {
	}

	/**
	 * A framed value could not be decoded.
	 * @param target the name of the statistics (the target) it is counted in
	 * @param observation what {@link #decompressing} returned
	 * @param algorithm its codec, {@code null} if the header did not name a known one
	 * @param fault why
	 */
	default void readFailed(String target, @Nullable Object observation, @Nullable Algorithm algorithm,
			DecodeFault fault) {
	}

}
