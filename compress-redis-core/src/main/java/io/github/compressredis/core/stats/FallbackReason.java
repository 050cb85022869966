package io.github.compressredis.core.stats;

/**
 * Why a value was not written the way the policy asks: compressed at a faster level or
 * stored plain. Also the reason a breaker trips.
 *
 * @author compress-redis contributors
 */
public enum FallbackReason {

	/** The codec failed (native error, out of memory): the value was stored plain. */
	COMPRESSION_FAILED("compression-failed"),

	/**
	 * The breaker tripped because compression was too slow (latency percentile over
	 * budget).
	 */
	SLOW("slow"),

	/** The breaker tripped because compression failed repeatedly. */
	FAILING("failing");

	private final String tag;

	FallbackReason(String tag) {
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
