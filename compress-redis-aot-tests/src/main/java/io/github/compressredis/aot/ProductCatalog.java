package io.github.compressredis.aot;

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

	private final AtomicInteger loads = new AtomicInteger();

	/**
	 * Load a product.
	 * @param id the product id
	 * @return the product
	 */
	@Cacheable("products")
	public Product product(String id) {
		this.loads.incrementAndGet();
		return new Product(id, "Product " + id,
				("Product " + id + " is a sturdy, washable, everyday item. ").repeat(12));
	}

	/**
	 * Return how many times a product was loaded rather than read from the cache.
	 * @return the number of loads
	 */
	public int loads() {
		return this.loads.get();
	}

}
