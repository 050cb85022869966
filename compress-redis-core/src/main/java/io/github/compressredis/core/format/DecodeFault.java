package io.github.compressredis.core.format;

/**
 * Why a framed value could not be decoded. Each fault is counted separately and named in
 * the error a reader gets.
 *
 * @author compress-redis contributors
 */
public enum DecodeFault {

	/** The value ends before its header or payload does. */
	TRUNCATED("truncated"),

	/** The header or payload is malformed. */
	CORRUPT("corrupt"),

	/** The header names a format version this reader does not know. */
	UNSUPPORTED_VERSION("unsupported-version"),

	/** The header names a codec this reader does not have. */
	UNKNOWN_CODEC("unknown-codec"),

	/** The declared original size is above the configured maximum. */
	TOO_LARGE("too-large"),

	/** The payload decoded to a length other than the declared one. */
	LENGTH_MISMATCH("length-mismatch"),

	/** The decoded bytes do not match the stored checksum. */
	CHECKSUM_MISMATCH("checksum-mismatch"),

	/** The value was written with a dictionary this reader cannot find. */
	MISSING_DICTIONARY("missing-dictionary");

	private final String tag;

	DecodeFault(String tag) {
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
