package io.github.compressredis.core.stats;

/**
 * The state of the compression breaker, as reported by
 * {@link CompressionStats#breakerStatus()}.
 *
 * @author compress-redis contributors
 */
public enum BreakerState {

	/** No breaker: every write follows the policy. */
	DISABLED("disabled"),

	/** Every write follows the policy while latency and failures are measured. */
	CLOSED("closed"),

	/**
	 * Writes use a faster level of the policy's algorithm (plain if it has none) for a
	 * cool-down.
	 */
	DEGRADED("degraded"),

	/**
	 * The cool-down is over: single writes probe the policy, the others stay degraded or
	 * plain.
	 */
	HALF_OPEN("half-open"),

	/** Writes are stored plain, without trying to compress, for a cool-down. */
	OPEN("open");

	private final String tag;

	BreakerState(String tag) {
		this.tag = tag;
	}

	/**
	 * Return the lower-case, hyphenated name used in metrics tags and endpoint output.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
