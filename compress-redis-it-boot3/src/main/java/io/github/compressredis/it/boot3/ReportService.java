package io.github.compressredis.it.boot3;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Builds reports slowly enough to be worth caching in Redis.
 *
 * @author compress-redis contributors
 */
@Service
public class ReportService {

	private final AtomicInteger builds = new AtomicInteger();

	/**
	 * Build the report of an id, or answer it from the {@code reports} cache.
	 * @param id the report's id
	 * @return the report
	 */
	@Cacheable("reports")
	public String report(String id) {
		this.builds.incrementAndGet();
		return Reports.of(id);
	}

	/**
	 * Return how many reports were built rather than read from the cache.
	 * @return the number of builds
	 */
	public int builds() {
		return this.builds.get();
	}

}
