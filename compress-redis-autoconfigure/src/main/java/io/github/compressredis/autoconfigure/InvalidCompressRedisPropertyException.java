package io.github.compressredis.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code compress.redis} property found invalid at startup, named as the user writes it
 * (for example {@code compress.redis.dictionary.max-sample-size}); reported by
 * {@link InvalidCompressRedisPropertyFailureAnalyzer}.
 *
 * @author compress-redis contributors
 */
final class InvalidCompressRedisPropertyException extends IllegalStateException {

	// the checks of core and of the policy pipeline begin their message with the quoted
	// kebab-case
	// field relative to its group, for example "'min-size' must be ..."
	private static final Pattern LEADING_FIELD = Pattern.compile("^'([a-z0-9][a-z0-9.\\[\\]-]*)'\\s*(.*)$",
			Pattern.DOTALL);

	private final String property;

	private final String reason;

	private InvalidCompressRedisPropertyException(String property, String reason, Throwable cause) {
		super("Invalid " + property + ": " + reason, cause);
		this.property = property;
		this.reason = reason;
	}

	/**
	 * Return the exception for a refused value of a group of properties.
	 * @param group the group's prefix, for example {@code compress.redis.dictionary}
	 * @param cause the refusal, whose message begins with the quoted field when it names
	 * one
	 * @return the exception naming the full property (or the group when no field is
	 * named)
	 */
	static InvalidCompressRedisPropertyException of(String group, IllegalArgumentException cause) {
		String message = String.valueOf(cause.getMessage());
		Matcher matcher = LEADING_FIELD.matcher(message);
		if (matcher.matches()) {
			return new InvalidCompressRedisPropertyException(group + "." + matcher.group(1), matcher.group(2), cause);
		}
		return new InvalidCompressRedisPropertyException(group, message, cause);
	}

	/**
	 * Return the property (or group of properties) that is invalid, with its full prefix.
	 * @return the property name
	 */
	String getProperty() {
		return this.property;
	}

	/**
	 * Return why the value is refused.
	 * @return the reason
	 */
	String getReason() {
		return this.reason;
	}

}
