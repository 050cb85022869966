package io.github.compressredis.autoconfigure;

import io.github.compressredis.core.stats.CompressionStats;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.CacheErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code compress.redis.cache.fail-open=true}, a {@link FailOpenCacheErrorHandler}
 * for annotation-driven caching: an entry that cannot be decoded becomes a miss, is
 * recomputed and stored again. It is installed through a {@link CachingConfigurer} unless
 * the application has its own, which should then return the
 * {@link FailOpenCacheErrorHandler} bean from {@link CachingConfigurer#errorHandler()} (a
 * warning at startup says so).
 *
 * @author compress-redis contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("compress.redis.cache.fail-open")
class CompressRedisFailOpenCacheConfiguration {

	private static final Log logger = LogFactory.getLog(CompressRedisFailOpenCacheConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	FailOpenCacheErrorHandler failOpenCacheErrorHandler(CompressionStats compressionStats) {
		return new FailOpenCacheErrorHandler(compressionStats);
	}

	@Bean
	@ConditionalOnMissingBean(CachingConfigurer.class)
	CachingConfigurer failOpenCachingConfigurer(FailOpenCacheErrorHandler failOpenCacheErrorHandler) {
		return new CachingConfigurer() {

			@Override
			public CacheErrorHandler errorHandler() {
				return failOpenCacheErrorHandler;
			}

		};
	}

	@Bean
	SmartInitializingSingleton failOpenCacheErrorHandlerCheck(ObjectProvider<CachingConfigurer> configurers) {
		return () -> {
			CachingConfigurer configurer = configurers.getIfUnique();
			CacheErrorHandler handler = (configurer != null) ? configurer.errorHandler() : null;
			if (!(handler instanceof FailOpenCacheErrorHandler)) {
				logger.warn("compress.redis.cache.fail-open is set, but the application's CachingConfigurer returns "
						+ ((handler != null) ? handler.getClass().getName() : "no error handler")
						+ ": return the FailOpenCacheErrorHandler bean (or one wrapping your handler) from its "
						+ "errorHandler() for undecodable cache entries to be treated as misses");
			}
		};
	}

}
