package io.github.compressredis.autoconfigure;

import java.util.Objects;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.internal.RateLimitedWarning;
import io.github.compressredis.core.stats.CompressionStats;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.cache.interceptor.SimpleCacheErrorHandler;

/**
 * A {@link CacheErrorHandler} that fails open on entries compress-redis cannot decode: a
 * cache read that throws a {@link CompressedValueException} becomes a miss, so that the
 * cached method runs again, and the entry is evicted, so that it is stored anew. Counted
 * in {@link CompressionStats#cacheFailOpens()} and logged at WARN at most once a minute.
 * Every other error goes to the delegate, which by default rethrows it.
 *
 * @author compress-redis contributors
 */
public class FailOpenCacheErrorHandler implements CacheErrorHandler {

	private static final Log logger = LogFactory.getLog(FailOpenCacheErrorHandler.class);

	private final CacheErrorHandler delegate;

	private final CompressionStats stats;

	private final RateLimitedWarning warning = new RateLimitedWarning(logger);

	public FailOpenCacheErrorHandler(CompressionStats stats) {
		this(new SimpleCacheErrorHandler(), stats);
	}

	/**
	 * Create a handler that passes every error other than an undecodable entry to a
	 * delegate.
	 * @param delegate the handler for the other errors
	 * @param stats where to count the entries treated as misses
	 */
	public FailOpenCacheErrorHandler(CacheErrorHandler delegate, CompressionStats stats) {
		this.delegate = Objects.requireNonNull(delegate, "'delegate' must not be null");
		this.stats = Objects.requireNonNull(stats, "'stats' must not be null");
	}

	@Override
	public void handleCacheGetError(RuntimeException exception, Cache cache, Object key) {
		CompressedValueException undecodable = undecodable(exception);
		if (undecodable == null) {
			this.delegate.handleCacheGetError(exception, cache, key);
			return;
		}
		this.stats.recordCacheFailOpen();
		warn(cache, undecodable);
		try {
			// a synchronized @Cacheable does not store what it recomputes after an error:
			// evict, so
			// that the next call stores it; an unsynchronized one overwrites the entry
			// anyway
			cache.evict(key);
		}
		catch (RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not evict the undecodable entry of cache '" + cache.getName() + "'", ex);
			}
		}
	}

	@Override
	public void handleCachePutError(RuntimeException exception, Cache cache, Object key, @Nullable Object value) {
		this.delegate.handleCachePutError(exception, cache, key, value);
	}

	@Override
	public void handleCacheEvictError(RuntimeException exception, Cache cache, Object key) {
		this.delegate.handleCacheEvictError(exception, cache, key);
	}

	@Override
	public void handleCacheClearError(RuntimeException exception, Cache cache) {
		this.delegate.handleCacheClearError(exception, cache);
	}

	private static @Nullable CompressedValueException undecodable(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof CompressedValueException undecodable) {
				return undecodable;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private void warn(Cache cache, CompressedValueException ex) {
		// the key is not logged: it may carry personal data
		this.warning.log(
				(suppressed) -> "An entry of cache '" + cache.getName()
						+ "' could not be decoded and was treated as a miss (" + ex.getMessage() + ")"
						+ ((suppressed > 0) ? "; " + suppressed + " more since the last warning" : "")
						+ "; further ones in the next minute are counted in redis.compression.cache.fail-open",
				() -> "An entry of cache '" + cache.getName() + "' could not be decoded (" + ex.getMessage() + ")",
				null);
	}

}
