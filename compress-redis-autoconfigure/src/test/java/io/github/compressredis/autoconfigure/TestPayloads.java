package io.github.compressredis.autoconfigure;

import java.nio.charset.StandardCharsets;

/**
 * Values shaped like application data, and checks on the bytes compress-redis stores.
 */
public final class TestPayloads {

	/** Byte 2 of a value framed with format version 1 and zstd. */
	public static final byte VERSION_1_ZSTD = 0x11;

	/** Byte 2 of a value framed with format version 1 and lz4. */
	public static final byte VERSION_1_LZ4 = 0x12;

	private TestPayloads() {
	}

	/**
	 * Build a JSON array of orders of at least the given length.
	 * @param minLength the least number of characters
	 * @return the JSON text
	 */
	public static String json(int minLength) {
		StringBuilder json = new StringBuilder(minLength + 200).append('[');
		for (int i = 0; json.length() < minLength; i++) {
			if (i > 0) {
				json.append(',');
			}
			json.append("{\"id\":")
				.append(1000 + i)
				.append(",\"status\":\"")
				.append((i % 3 == 0) ? "SHIPPED" : "PAID")
				.append("\",\"customer\":{\"name\":\"Customer ")
				.append(i % 17)
				.append("\",\"city\":\"")
				.append((i % 2 == 0) ? "Lyon" : "Osaka")
				.append("\"},\"total\":")
				.append((i * 977) % 20_000 / 100.0)
				.append(",\"note\":\"Leave the parcel with the concierge\"}");
		}
		return json.append(']').toString();
	}

	/**
	 * Return whether stored bytes begin with the compress-redis magic {@code C1 8D}.
	 * @param stored the bytes as stored in Redis
	 * @return whether they are framed
	 */
	public static boolean isFramed(byte[] stored) {
		return stored.length >= 3 && stored[0] == (byte) 0xC1 && stored[1] == (byte) 0x8D;
	}

	public static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
