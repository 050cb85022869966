package io.github.compressredis.autoconfigure.metrics;

import io.github.compressredis.core.codec.Algorithm;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an Observation of one compression or decompression knows: the operation, the
 * target, the codec, the outcome, and the sizes before and after.
 *
 * @author compress-redis contributors
 */
public final class CompressionObservationContext extends Observation.Context {

	private final Operation operation;

	private final String target;

	private @Nullable Algorithm codec;

	private String outcome = "unknown";

	private int originalBytes = -1;

	private int storedBytes = -1;

	CompressionObservationContext(Operation operation, String target) {
		this.operation = operation;
		this.target = target;
	}

	public Operation getOperation() {
		return this.operation;
	}

	/**
	 * The target ({@code target} tag) the value is counted in.
	 * @return the target name
	 */
	public String getTarget() {
		return this.target;
	}

	/**
	 * The codec, {@code null} while a decompression has not read the header or did not
	 * know it.
	 * @return the codec, or {@code null} if not known
	 */
	public @Nullable Algorithm getCodec() {
		return this.codec;
	}

	void setCodec(@Nullable Algorithm codec) {
		this.codec = codec;
	}

	/**
	 * The outcome tag: a write outcome, {@code decoded}, or the fault of a value not
	 * read.
	 * @return the outcome tag
	 */
	public String getOutcome() {
		return this.outcome;
	}

	void setOutcome(String outcome) {
		this.outcome = outcome;
	}

	/**
	 * The delegate's bytes, {@code -1} when not known yet.
	 * @return the original size in bytes, or {@code -1}
	 */
	public int getOriginalBytes() {
		return this.originalBytes;
	}

	void setOriginalBytes(int originalBytes) {
		this.originalBytes = originalBytes;
	}

	/**
	 * The bytes in Redis, {@code -1} when not known yet.
	 * @return the stored size in bytes, or {@code -1}
	 */
	public int getStoredBytes() {
		return this.storedBytes;
	}

	void setStoredBytes(int storedBytes) {
		this.storedBytes = storedBytes;
	}

	/**
	 * The observed operation; its name is the Observation's and the timer's.
	 */
	public enum Operation {

		/** Compressing a value the policy asks to compress. */
		COMPRESS("redis.compression.compress", "compress"),

		/** Decoding a framed value. */
		DECOMPRESS("redis.compression.decompress", "decompress");

		private final String observationName;

		private final String contextualName;

		Operation(String observationName, String contextualName) {
			this.observationName = observationName;
			this.contextualName = contextualName;
		}

		/**
		 * The Observation's name, which is also the timer's.
		 * @return the Observation's name
		 */
		public String observationName() {
			return this.observationName;
		}

		String contextualName() {
			return this.contextualName;
		}

	}

}
