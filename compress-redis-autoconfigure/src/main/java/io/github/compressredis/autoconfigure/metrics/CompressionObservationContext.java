package io.github.compressredis.autoconfigure.metrics;

import io.github.compressredis.core.codec.Algorithm;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an Observation of one compression or decompression knows: the operation, the
 * target, the codec, the outcome, and the sizes before and after.
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

	/** The target ({@code target} tag) the value is counted in. */
	public String getTarget() {
		return this.target;
	}

	/**
	 * The codec, {@code null} while a decompression has not read the header or did not
	 * know it.
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
	 */
	public String getOutcome() {
		return this.outcome;
	}

	void setOutcome(String outcome) {
		this.outcome = outcome;
	}

	/** The delegate's bytes, {@code -1} when not known yet. */
	public int getOriginalBytes() {
		return this.originalBytes;
	}

	void setOriginalBytes(int originalBytes) {
		this.originalBytes = originalBytes;
	}

	/** The bytes in Redis, {@code -1} when not known yet. */
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

		/** The Observation's name, which is also the timer's. */
		public String observationName() {
			return this.observationName;
		}

		String contextualName() {
			return this.contextualName;
		}

	}

}
