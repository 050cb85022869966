package io.github.compressredis.sample;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Service;

/**
 * Stores product details in Redis through Boot's StringRedisTemplate, and serves a "slow"
 * rendering of them through Spring Cache; both are compressed by the starter.
 *
 * @author compress-redis contributors
 */
@Service
public class ProductCatalog {

	private static final String KEY_PREFIX = "product:";

	private final StringRedisTemplate redis;

	private final ProductDetailsGenerator generator;

	public ProductCatalog(StringRedisTemplate redis, ProductDetailsGenerator generator) {
		this.redis = redis;
		this.generator = generator;
	}

	/**
	 * Create (or overwrite) a product.
	 * @param id the product id
	 * @return the number of bytes of its JSON details
	 */
	public int create(long id) {
		String details = this.generator.details(id);
		this.redis.opsForValue().set(KEY_PREFIX + id, details);
		return details.length();
	}

	public @Nullable String find(long id) {
		return this.redis.opsForValue().get(KEY_PREFIX + id);
	}

	/**
	 * Render a product's details the slow way; cached in Redis by Spring Cache.
	 * @param id the product id
	 * @return the details
	 */
	@Cacheable("product-details")
	public String render(long id) {
		return this.generator.details(id);
	}

}
