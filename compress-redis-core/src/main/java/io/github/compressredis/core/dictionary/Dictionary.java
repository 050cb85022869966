package io.github.compressredis.core.dictionary;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.github.compressredis.core.internal.format.WireFormat;

/**
 * A trained zstd dictionary and what is known about it: its id (as written in value
 * headers), the target it was trained for, when and on how many samples, and the ratios
 * estimated on held-out samples with and without it. Immutable; once stored under its id
 * it never changes.
 *
 * @author compress-redis contributors
 */
public final class Dictionary {

	private static final String MAGIC = "compress-redis-dictionary 1";

	/**
	 * Largest dictionary id: the largest value a header's varint may carry (FORMAT.md).
	 */
	public static final int MAX_ID = WireFormat.MAX_DICTIONARY_ID;

	/**
	 * Longest metadata line, newline included, that writers write and readers look for.
	 */
	public static final int MAX_LINE_LENGTH = 1024;

	/**
	 * Longest target name, in characters, so that the metadata line stays within its
	 * bound.
	 */
	public static final int MAX_TARGET_LENGTH = 200;

	/**
	 * A reader refuses a stored record larger than this many times its configured
	 * dictionary size (plus the line): room for dictionaries trained by an application
	 * configured larger.
	 */
	public static final int RECORD_SIZE_FACTOR = 4;

	private final int id;

	private final String target;

	private final byte[] bytes;

	private final Instant trainedAt;

	private final int samples;

	private final double ratio;

	private final double plainRatio;

	/**
	 * Create a dictionary.
	 * @param id the id (non-zero)
	 * @param target the target it was trained for
	 * @param bytes the zstd dictionary
	 * @param trainedAt when it was trained
	 * @param samples the number of samples it was trained on
	 * @param ratio stored/original size of held-out samples with it ({@code NaN} if
	 * unknown)
	 * @param plainRatio stored/original size of the same samples without it ({@code NaN}
	 * if unknown)
	 */
	public Dictionary(int id, String target, byte[] bytes, Instant trainedAt, int samples, double ratio,
			double plainRatio) {
		if (id <= 0 || id > MAX_ID) {
			throw new IllegalArgumentException("'id' must be between 1 and " + MAX_ID
					+ " (0 means no dictionary in the wire format, and a header cannot carry more), not " + id);
		}
		Objects.requireNonNull(bytes, "'bytes' must not be null");
		if (bytes.length == 0) {
			throw new IllegalArgumentException("'bytes' must not be empty");
		}
		this.id = id;
		this.target = Objects.requireNonNull(target, "'target' must not be null");
		this.bytes = bytes.clone();
		this.trainedAt = Objects.requireNonNull(trainedAt, "'trainedAt' must not be null");
		this.samples = samples;
		this.ratio = ratio;
		this.plainRatio = plainRatio;
	}

	public int id() {
		return this.id;
	}

	public String target() {
		return this.target;
	}

	/**
	 * Return a copy of the dictionary's bytes.
	 * @return the bytes
	 */
	public byte[] bytes() {
		return this.bytes.clone();
	}

	public int size() {
		return this.bytes.length;
	}

	public Instant trainedAt() {
		return this.trainedAt;
	}

	public int samples() {
		return this.samples;
	}

	public double ratio() {
		return this.ratio;
	}

	public double plainRatio() {
		return this.plainRatio;
	}

	/**
	 * Return the bytes stored in Redis: one line of metadata, then the dictionary (see
	 * FORMAT.md).
	 * @return the stored form
	 */
	public byte[] encode() {
		checkTargetName(this.target);
		String line = MAGIC + " id=" + this.id + " size=" + this.bytes.length + " crc32c="
				+ String.format(Locale.ROOT, "%08x", WireFormat.crc32c(this.bytes, 0, this.bytes.length))
				+ " trained-at=" + this.trainedAt + " samples=" + this.samples + " ratio=" + this.ratio
				+ " plain-ratio=" + this.plainRatio + " target=" + this.target + "\n";
		byte[] head = line.getBytes(StandardCharsets.UTF_8);
		if (head.length > MAX_LINE_LENGTH) {
			throw new IllegalStateException(
					"the metadata line of " + this + " is longer than " + MAX_LINE_LENGTH + " bytes");
		}
		byte[] encoded = Arrays.copyOf(head, head.length + this.bytes.length);
		System.arraycopy(this.bytes, 0, encoded, head.length, this.bytes.length);
		return encoded;
	}

	/**
	 * Read the stored form back, checking its id, size and CRC-32C.
	 * @param id the id it was stored under
	 * @param encoded the stored form
	 * @return the dictionary
	 * @throws IllegalArgumentException if the stored form is not a dictionary with that
	 * id
	 */
	public static Dictionary decode(int id, byte[] encoded) {
		int newline = -1;
		for (int i = 0; i < Math.min(encoded.length, MAX_LINE_LENGTH); i++) {
			if (encoded[i] == '\n') {
				newline = i;
				break;
			}
		}
		String line = (newline > 0) ? new String(encoded, 0, newline, StandardCharsets.UTF_8) : "";
		if (!line.startsWith(MAGIC + " ")) {
			throw new IllegalArgumentException("not a compress-redis dictionary (no '" + MAGIC + "' line)");
		}
		Map<String, String> fields = new LinkedHashMap<>();
		String rest = line.substring(MAGIC.length() + 1);
		int targetAt = rest.indexOf("target=");
		if (targetAt >= 0) {
			fields.put("target", rest.substring(targetAt + "target=".length()));
			rest = rest.substring(0, targetAt);
		}
		for (String field : rest.trim().split(" ")) {
			int equals = field.indexOf('=');
			if (equals > 0) {
				fields.put(field.substring(0, equals), field.substring(equals + 1));
			}
		}
		byte[] bytes = Arrays.copyOfRange(encoded, newline + 1, encoded.length);
		int storedId;
		int size;
		int crc;
		Dictionary dictionary;
		try {
			storedId = Integer.parseInt(fields.get("id"));
			size = Integer.parseInt(fields.get("size"));
			String crcField = fields.get("crc32c");
			// writers pad to 8 digits; 0.1.0 wrote them without leading zeros
			if (crcField == null || !crcField.matches("[0-9a-f]{1,8}")) {
				throw new IllegalArgumentException("crc32c must be 1 to 8 lowercase hex digits");
			}
			crc = Integer.parseUnsignedInt(crcField, 16);
			dictionary = new Dictionary(id, fields.getOrDefault("target", ""), bytes,
					Instant.parse(fields.get("trained-at")), Integer.parseInt(fields.get("samples")),
					Double.parseDouble(fields.get("ratio")), Double.parseDouble(fields.get("plain-ratio")));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("dictionary " + id + " has malformed metadata: " + line, ex);
		}
		if (storedId != id) {
			throw new IllegalArgumentException("dictionary stored under id " + id + " says it is id " + storedId);
		}
		if (size != bytes.length || crc != WireFormat.crc32c(bytes, 0, bytes.length)) {
			throw new IllegalArgumentException("dictionary " + id + " is truncated or corrupt (size or CRC-32C)");
		}
		return dictionary;
	}

	/**
	 * Return the largest stored record a reader accepts for a configured dictionary size.
	 * @param dictionarySize the configured dictionary size in bytes
	 * @return {@link #RECORD_SIZE_FACTOR} times the size, plus the longest metadata line
	 */
	public static int maxRecordLength(int dictionarySize) {
		return (int) Math.min(Integer.MAX_VALUE - 8, (long) dictionarySize * RECORD_SIZE_FACTOR + MAX_LINE_LENGTH);
	}

	/**
	 * Check that a name can be a target's: it is written as the last field of the
	 * metadata line and in the key {@code <prefix>current:<target>}.
	 * @param name the name
	 * @throws IllegalArgumentException if it is empty, longer than
	 * {@link #MAX_TARGET_LENGTH} characters, or contains whitespace or control characters
	 */
	public static void checkTargetName(String name) {
		Objects.requireNonNull(name, "'name' must not be null");
		if (name.isEmpty() || name.length() > MAX_TARGET_LENGTH) {
			throw new IllegalArgumentException("Dictionary target name '" + name + "' must have 1 to "
					+ MAX_TARGET_LENGTH + " characters; use a shorter cache or template name, or exclude it");
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
				throw new IllegalArgumentException(
						"Dictionary target name '" + name + "' contains whitespace or a control character at index " + i
								+ "; rename the cache or template, or exclude it from compression");
			}
		}
	}

	@Override
	public String toString() {
		return "Dictionary " + this.id + " for '" + this.target + "' (" + this.bytes.length + " bytes, trained at "
				+ this.trainedAt + " on " + this.samples + " samples)";
	}

}
