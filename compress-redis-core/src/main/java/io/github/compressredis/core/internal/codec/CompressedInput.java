package io.github.compressredis.core.internal.codec;

import org.jspecify.annotations.Nullable;

/**
 * Recognises values that are already compressed, or in an encoding Redis itself reads (a
 * HyperLogLog), by their leading signature, so that writers store them plain without
 * calling a codec (outcome {@code incompressible}). The list is {@code FORMAT.md} section
 * 4's; each signature is long enough that no text value starts with it.
 *
 * @author compress-redis contributors
 */
public final class CompressedInput {

	private static final int ANY = -1;

	private static final String[] NAMES = { "gzip", "zstd", "lz4-frame", "bzip2", "xz", "zip", "7z", "png", "jpeg",
			"gif", "webp", "snappy-framed", "hyperloglog" };

	private static final int[][] SIGNATURES = { { 0x1F, 0x8B, 0x08 }, { 0x28, 0xB5, 0x2F, 0xFD },
			{ 0x04, 0x22, 0x4D, 0x18 }, { 'B', 'Z', 'h', ANY, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 },
			{ 0xFD, '7', 'z', 'X', 'Z', 0x00 }, { 'P', 'K', 0x03, 0x04 }, { '7', 'z', 0xBC, 0xAF, 0x27, 0x1C },
			{ 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A }, { 0xFF, 0xD8, 0xFF }, { 'G', 'I', 'F', '8', ANY, 'a' },
			{ 'R', 'I', 'F', 'F', ANY, ANY, ANY, ANY, 'W', 'E', 'B', 'P' },
			{ 0xFF, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y' },
			// Redis's HyperLogLog: "HYLL", the encoding byte, three zero bytes; PFADD and
			// PFCOUNT refuse it in any other form
			{ 'H', 'Y', 'L', 'L', ANY, 0x00, 0x00, 0x00 } };

	/**
	 * The bytes a signature can begin with: any other first byte (every JSON or text
	 * value's) is answered without walking the list, which profiled at 1.4% of a 400-byte
	 * value's lz4 write.
	 */
	private static final boolean[] FIRST_BYTES = new boolean[256];

	static {
		for (int[] signature : SIGNATURES) {
			FIRST_BYTES[signature[0]] = true;
		}
	}

	private CompressedInput() {
	}

	/**
	 * Return the name of the compressed format a value begins with.
	 * @param value the value's bytes
	 * @return the format's name (for example {@code "png"}), or {@code null} for none
	 */
	public static @Nullable String formatOf(byte[] value) {
		if (value.length < 3 || !FIRST_BYTES[value[0] & 0xFF]) {
			return null;
		}
		for (int i = 0; i < SIGNATURES.length; i++) {
			if (matches(value, SIGNATURES[i])) {
				return NAMES[i];
			}
		}
		return null;
	}

	private static boolean matches(byte[] value, int[] signature) {
		if (value.length < signature.length) {
			return false;
		}
		for (int i = 0; i < signature.length; i++) {
			if (signature[i] != ANY && (value[i] & 0xFF) != signature[i]) {
				return false;
			}
		}
		return true;
	}

}
