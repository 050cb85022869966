package io.github.compressredis.sample;

import java.util.SplittableRandom;

import org.springframework.stereotype.Component;

/**
 * Generates realistic product details as JSON, deterministically from the product id: the
 * same id always gives the same document, between about 1 KB and 1 MB depending on the
 * id.
 *
 * @author compress-redis contributors
 */
@Component
public class ProductDetailsGenerator {

	private static final String[] WORDS = { "durable", "lightweight", "stainless", "steel", "wireless", "ergonomic",
			"compact", "waterproof", "premium", "cotton", "battery", "charging", "adjustable", "portable", "kitchen",
			"outdoor", "travel", "office", "gaming", "audio", "camera", "lens", "organic", "recycled", "leather",
			"bluetooth", "display", "warranty", "included", "designed", "for", "everyday", "use", "with", "and",
			"the" };

	private static final String[] CATEGORIES = { "electronics", "home", "garden", "sports", "toys", "books", "fashion",
			"beauty", "grocery", "automotive" };

	/**
	 * Return the JSON details of a product.
	 * @param id the product id
	 * @return the details, 1 KB to 1 MB of JSON
	 */
	public String details(long id) {
		SplittableRandom random = new SplittableRandom(id);
		int targetSize = 1024 << (int) Math.floorMod(id, 11);
		StringBuilder json = new StringBuilder(targetSize + 512);
		json.append("{\"id\":").append(id);
		json.append(",\"sku\":\"SKU-").append(String.format("%08d", id)).append('"');
		json.append(",\"name\":\"").append(words(random, 3)).append('"');
		json.append(",\"category\":\"").append(CATEGORIES[random.nextInt(CATEGORIES.length)]).append('"');
		json.append(",\"price\":").append(random.nextInt(100, 100_000) / 100.0);
		json.append(",\"currency\":\"EUR\",\"inStock\":").append(random.nextBoolean());
		json.append(",\"description\":\"").append(words(random, 40)).append('"');
		json.append(",\"attributes\":{\"color\":\"")
			.append(words(random, 1))
			.append("\",\"weightGrams\":")
			.append(random.nextInt(50, 5000))
			.append(",\"material\":\"")
			.append(words(random, 2))
			.append("\"}");
		json.append(",\"reviews\":[");
		int review = 0;
		while (json.length() < targetSize) {
			if (review > 0) {
				json.append(',');
			}
			json.append("{\"reviewId\":").append(id * 100_000 + review);
			json.append(",\"rating\":").append(random.nextInt(1, 6));
			json.append(",\"author\":\"customer-").append(random.nextInt(1, 50_000)).append('"');
			json.append(",\"verified\":").append(random.nextBoolean());
			json.append(",\"text\":\"").append(words(random, 12 + random.nextInt(30))).append("\"}");
			review++;
		}
		json.append("]}");
		return json.toString();
	}

	private static String words(SplittableRandom random, int count) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				text.append(' ');
			}
			text.append(WORDS[random.nextInt(WORDS.length)]);
		}
		return text.toString();
	}

}
