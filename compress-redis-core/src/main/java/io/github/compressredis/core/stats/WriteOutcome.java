package io.github.compressredis.core.stats;

/**
 * What happened to one value written.
 *
 * @author compress-redis contributors
 */
public enum WriteOutcome {

	/** Stored compressed. */
	COMPRESSED("compressed"),

	/** Stored plain: shorter than {@code min-size}. */
	TOO_SMALL("too-small"),

	/** Stored plain: compression did not save enough ({@code max-ratio}). */
	NOT_WORTH_IT("not-worth-it"),

	/**
	 * Stored plain without calling a codec: the value begins with the signature of an
	 * already compressed format (gzip, zstd, PNG, JPEG, ...; see {@code FORMAT.md}
	 * section 4).
	 */
	INCOMPRESSIBLE("incompressible"),

	/**
	 * Stored plain: larger than {@code max-decompressed-size}, so a compressed form could
	 * not be read back under the same policy.
	 */
	TOO_LARGE("too-large"),

	/** Stored plain: the policy's algorithm is {@code none}. */
	DISABLED("disabled"),

	/**
	 * Stored plain: the codec failed (native error, out of memory); the write still
	 * succeeded.
	 */
	FAILED("failed"),

	/**
	 * Stored plain without trying: the breaker is open (compression too slow or failing),
	 * or degraded and the algorithm has no faster level.
	 */
	SKIPPED("skipped");

	private final String tag;

	WriteOutcome(String tag) {
		this.tag = tag;
	}

	public String tag() {
		return this.tag;
	}

}
