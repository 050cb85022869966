package io.github.compressredis.core.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.compressredis.testsupport.corpus.Corpus;

/**
 * JSON documents shaped like application data: orders built here, and real documents from
 * the shared corpus when it is present.
 */
final class JsonDocuments {

	private static final String[] PRODUCTS = { "Espresso grinder", "Walnut desk organiser", "Merino crew socks",
			"USB-C travel charger", "Cast-iron skillet", "Noise-cancelling headphones", "Trail running shoes",
			"Ceramic pour-over set" };

	private static final String[] CITIES = { "Lyon", "Zürich", "Kraków", "São Paulo", "Osaka", "Reykjavík" };

	private JsonDocuments() {
	}

	/**
	 * Build an order with the given number of lines; about 210 bytes of JSON per line.
	 */
	static Map<String, Object> order(int id, int lines) {
		Map<String, Object> customer = new LinkedHashMap<>();
		customer.put("id", 100_000 + id);
		customer.put("name", "Customer " + id);
		customer.put("email", "customer" + id + "@example.com");
		customer.put("vip", id % 3 == 0);
		Map<String, Object> address = new LinkedHashMap<>();
		address.put("street", (id % 97 + 1) + " Rue de la République");
		address.put("city", CITIES[id % CITIES.length]);
		address.put("postcode", String.format("%05d", (id * 7919) % 100_000));
		customer.put("address", address);
		List<Object> items = new ArrayList<>();
		for (int i = 0; i < lines; i++) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("line", i + 1);
			item.put("sku", String.format("SKU-%04d-%03d", (id * 31 + i * 17) % 10_000, i % 1000));
			item.put("name", PRODUCTS[(id + i) % PRODUCTS.length]);
			item.put("description", "Ships in " + (1 + (i % 5)) + " days from warehouse " + ((id + i) % 12)
					+ "; gift wrap " + ((i % 4 == 0) ? "requested" : "not requested"));
			item.put("quantity", 1 + (i * 13 + id) % 7);
			item.put("unitPrice", ((id * 131 + i * 977) % 20_000) / 100.0);
			item.put("tags", List.of("catalog-" + (i % 9), (i % 2 == 0) ? "in-stock" : "backorder"));
			items.add(item);
		}
		Map<String, Object> order = new LinkedHashMap<>();
		order.put("id", id);
		order.put("status", (id % 2 == 0) ? "SHIPPED" : "PAID");
		order.put("currency", "EUR");
		order.put("customer", customer);
		order.put("items", items);
		order.put("note", "Leave the parcel with the concierge, ça marche ✓");
		return order;
	}

	/**
	 * Return the first {@code count} values of a corpus file whose size is within the
	 * given bounds.
	 */
	static List<String> corpusValues(String file, int minBytes, int maxBytes, int count) {
		return Corpus.values(file)
			.stream()
			.filter((value) -> value.length >= minBytes && value.length <= maxBytes)
			.limit(count)
			.map((value) -> new String(value, StandardCharsets.UTF_8))
			.toList();
	}

}
