package io.github.compressredis.cli;

import java.util.regex.Pattern;

/**
 * Groups keys into patterns: every segment (between {@code :}, {@code /}, {@code .},
 * {@code |} or {@code #}) that looks like an id (a number, a UUID, a long hex string, or
 * a token that is at least a third digits) becomes {@code *}, so
 * {@code product:1234:details} and {@code product:98:details} are both
 * {@code product:*:details}.
 *
 * @author compress-redis contributors
 */
final class KeyPatterns {

	private static final Pattern SEPARATORS = Pattern.compile("(?<=[:/.|#])|(?=[:/.|#])");

	private static final Pattern NUMBER = Pattern.compile("-?\\d+");

	private static final Pattern UUID = Pattern
		.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final Pattern HEX = Pattern.compile("(?i)[0-9a-f]{8,}");

	private KeyPatterns() {
	}

	static String of(String key) {
		StringBuilder pattern = new StringBuilder(key.length());
		for (String segment : SEPARATORS.split(key)) {
			pattern.append(isId(segment) ? "*" : segment);
		}
		return pattern.toString();
	}

	static boolean isId(String segment) {
		if (segment.isEmpty() || segment.length() == 1 && !Character.isDigit(segment.charAt(0))) {
			return false;
		}
		if (NUMBER.matcher(segment).matches() || UUID.matcher(segment).matches()) {
			return true;
		}
		long digits = segment.chars().filter(Character::isDigit).count();
		if (digits > 0 && HEX.matcher(segment).matches()) {
			return true;
		}
		return segment.length() >= 4 && digits * 3 >= segment.length();
	}

}
