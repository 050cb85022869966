package io.github.compressredis.core.internal.resilience;

/**
 * How the breaker lets one write compress.
 *
 * @author compress-redis contributors
 */
public enum Admission {

	/** Follow the policy (the breaker is closed). */
	NORMAL,

	/**
	 * Follow the policy as a probe of whether it is healthy again (the breaker is
	 * half-open).
	 */
	PROBE,

	/** Use a faster level of the policy's algorithm, or store plain if it has none. */
	FASTER_LEVEL,

	/** Store plain without trying to compress. */
	PLAIN

}
