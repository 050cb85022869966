package io.github.compressredis.it.boot3;

/**
 * The report text of an id: a JSON array of orders, about 16 KB.
 *
 * @author compress-redis contributors
 */
public final class Reports {

	private Reports() {
	}

	/**
	 * Return the report of an id.
	 * @param id the report's id
	 * @return the JSON text
	 */
	public static String of(String id) {
		StringBuilder json = new StringBuilder(17_000).append('[');
		for (int i = 0; json.length() < 16 * 1024; i++) {
			json.append((i > 0) ? "," : "")
				.append("{\"report\":\"")
				.append(id)
				.append("\",\"order\":")
				.append(1000 + i)
				.append(",\"status\":\"")
				.append((i % 3 == 0) ? "SHIPPED" : "PAID")
				.append("\",\"city\":\"")
				.append((i % 2 == 0) ? "Lyon" : "Osaka")
				.append("\"}");
		}
		return json.append(']').toString();
	}

}
