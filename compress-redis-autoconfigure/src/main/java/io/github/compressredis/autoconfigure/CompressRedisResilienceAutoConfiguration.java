package io.github.compressredis.autoconfigure;

import java.util.function.Supplier;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.CompressionStats;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the compression breaker (on unless
 * {@code compress.redis.resilience.breaker.enabled=false}): it is given to the
 * {@link ValueCompressor} bean, and so to every serializer the auto-configuration wraps, and
 * reports its state through the {@link CompressionStats} bean to the meters and the endpoint.
 */
@AutoConfiguration(after = CompressRedisAutoConfiguration.class)
@ConditionalOnBean({ ValueCompressor.class, CompressionStats.class })
@ConditionalOnBooleanProperty(name = "compress.redis.resilience.breaker.enabled", matchIfMissing = true)
public final class CompressRedisResilienceAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CompressionBreaker compressionBreaker(CompressRedisProperties properties, CompressionStats compressionStats) {
		try {
			return new CompressionBreaker(properties.getResilience().getBreaker().toSettings(), compressionStats);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					"Invalid compress.redis.resilience.breaker configuration: " + ex.getMessage(), ex);
		}
	}

	/**
	 * A policy change (application.yml refresh, Nacos, the endpoint) gives a tripped breaker's
	 * new policy its probes at once instead of after the cool-down the old policy earned.
	 */
	@Bean
	SmartInitializingSingleton compressionBreakerPolicyListener(ObjectProvider<CompressionBreaker> breaker,
			ObjectProvider<CompressionPolicyHolder> policies) {
		return () -> {
			CompressionBreaker target = breaker.getIfUnique();
			CompressionPolicyHolder holder = policies.getIfUnique();
			if (target != null && holder != null) {
				holder.addListener(target::onPolicyChanged);
			}
		};
	}

	@Bean
	static CompressionBreakerPostProcessor compressionBreakerPostProcessor(ObjectProvider<CompressionBreaker> breaker) {
		return new CompressionBreakerPostProcessor(breaker::getObject);
	}

	/**
	 * Gives the breaker to {@link ValueCompressor} beans that have none, the auto-configured one
	 * as well as an application's own.
	 */
	static final class CompressionBreakerPostProcessor implements BeanPostProcessor {

		private final Supplier<CompressionBreaker> breaker;

		CompressionBreakerPostProcessor(Supplier<CompressionBreaker> breaker) {
			this.breaker = breaker;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof ValueCompressor compressor && compressor.getBreaker() == null) {
				return compressor.withBreaker(this.breaker.get());
			}
			return bean;
		}

	}

}
