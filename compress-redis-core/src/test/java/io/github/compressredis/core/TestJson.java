package io.github.compressredis.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Compressible JSON-like test values of an exact size, the same bytes on every run.
 */
public final class TestJson {

	private TestJson() {
	}

	/**
	 * Build a JSON array of city records cut to exactly {@code size} bytes (not valid
	 * JSON at the cut: the codecs and the breaker see only bytes).
	 * @param size the length in bytes
	 * @return the value
	 */
	public static byte[] json(int size) {
		StringBuilder json = new StringBuilder("[");
		for (int i = 0; json.length() < size; i++) {
			json.append("{\"id\":")
				.append(i)
				.append(",\"name\":\"city ")
				.append(i * 7919 % 1000)
				.append("\",\"lat\":\"")
				.append(40 + i % 10)
				.append('.')
				.append(i * 31 % 100000)
				.append("\",\"country\":\"AD\"},");
		}
		return Arrays.copyOf(json.toString().getBytes(StandardCharsets.UTF_8), size);
	}

	/**
	 * About {@code size} bytes of JSON: records as strings, the shape of a cached list.
	 * @param size the approximate JSON length in bytes
	 * @return the records, the same on every run
	 */
	public static List<String> records(int size) {
		Random random = new Random(7);
		List<String> records = new ArrayList<>();
		int total = 0;
		while (total < size) {
			String record = "{\"id\":" + random.nextInt(1_000_000) + ",\"name\":\"item-"
					+ Integer.toString(random.nextInt(), 36) + "\",\"tags\":[\"a" + random.nextInt(40) + "\"]}";
			records.add(record);
			total += record.length() + 12;
		}
		return records;
	}

}
