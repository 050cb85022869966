package io.github.compressredis.core.dictionary;

/**
 * What a training run ended with.
 *
 * @author compress-redis contributors
 */
public enum TrainingOutcome {

	/** A new dictionary was stored and made current. */
	PUBLISHED("published"),

	/** The new dictionary did not improve the held-out ratio enough; nothing changed. */
	REJECTED("rejected"),

	/** The trainer or the store failed; nothing changed. */
	FAILED("failed");

	private final String tag;

	TrainingOutcome(String tag) {
		this.tag = tag;
	}

	/**
	 * Return the lower-case name used in metrics tags and endpoint output.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
