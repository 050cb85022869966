package io.github.compressredis.core.internal.policy;

import java.util.Objects;
import java.util.function.Predicate;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicy;

/**
 * The checks every policy passes before it is put in force, whatever its source: its
 * algorithm can be used here, and its fields agree with each other. Field ranges are
 * checked by {@link CompressionPolicy.Builder} already.
 *
 * @author compress-redis contributors
 */
public final class PolicyValidator {

	/**
	 * Redis's largest string value: a larger {@code min-size} would never compress
	 * anything.
	 */
	public static final long REDIS_MAX_VALUE = 512L * 1024 * 1024;

	private final Predicate<Algorithm> available;

	/**
	 * Create a validator.
	 * @param available whether an algorithm's library is present and loads here
	 */
	public PolicyValidator(Predicate<Algorithm> available) {
		this.available = Objects.requireNonNull(available, "'available' must not be null");
	}

	/**
	 * Check a policy.
	 * @param policy the policy
	 * @return the same policy
	 * @throws IllegalArgumentException naming the field and the fix when it is refused
	 */
	public CompressionPolicy validate(CompressionPolicy policy) {
		if (!this.available.test(policy.algorithm())) {
			throw new IllegalArgumentException("'algorithm' " + policy.algorithm().tag()
					+ " is not available here; add its library (snappy needs org.xerial.snappy:snappy-java) or choose another");
		}
		if (policy.minSize() > REDIS_MAX_VALUE) {
			throw new IllegalArgumentException("'min-size' " + policy.minSize()
					+ " bytes is larger than Redis's largest value (512MB): nothing would be compressed");
		}
		if (policy.maxDecompressedSize() < policy.minSize()) {
			throw new IllegalArgumentException("'max-decompressed-size' " + policy.maxDecompressedSize()
					+ " bytes is below 'min-size' " + policy.minSize()
					+ " bytes: nothing would be compressed and larger compressed values would no longer read");
		}
		return policy;
	}

}
