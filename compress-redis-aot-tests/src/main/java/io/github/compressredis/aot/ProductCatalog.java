package io.github.compressredis.aot;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Loads products, once per id while the {@code products} cache holds them.
 *
 * @author compress-redis contributors
 */
@Service
public class ProductCatalog {

	private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

	/**
	 * Load a product.
	 * @param id the product id
	 * @return the product
	 */
	@Cacheable("products")
	public Product product(String id) {
		this.loads.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
		return new Product(id, "Product " + id,
				("Product " + id + " is a sturdy, washable, everyday item. ").repeat(12));
	}

	/**
	 * Return how many times a product was loaded rather than read from the cache.
	 * @param id the product id
	 * @return the number of loads
	 */
	public int loads(String id) {
		AtomicInteger loads = this.loads.get(id);
		return (loads != null) ? loads.get() : 0;
	}

}
