package io.github.compressredis.autoconfigure;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.resilience.BreakerSettings;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.CompressionStats;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the compression breakers (on unless
 * {@code compress.redis.resilience.breaker.enabled=false}): one per named target, created
 * by the {@link CompressionTargets.BreakerFactory} bean, and one for the auto-configured
 * {@link ValueCompressor} bean, which takes it from this configuration's bean method. An
 * application's own {@code ValueCompressor} bean is never replaced: it keeps the breaker
 * it was built with. Breakers report their state through the {@link CompressionStats} to
 * the meters and the endpoint.
 *
 * @author compress-redis contributors
 */
@AutoConfiguration(after = CompressRedisAutoConfiguration.class)
@ConditionalOnBean({ ValueCompressor.class, CompressionStats.class })
@ConditionalOnBooleanProperty(name = "compress.redis.resilience.breaker.enabled", matchIfMissing = true)
public final class CompressRedisResilienceAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CompressionBreaker compressionBreaker(CompressRedisProperties properties, CompressionStats compressionStats) {
		return new CompressionBreaker(settings(properties), compressionStats);
	}

	/**
	 * A policy change (application.yml refresh, Nacos, the endpoint) gives a tripped
	 * breaker's new policy its probes at once instead of after the cool-down the old
	 * policy earned.
	 * @param breaker the breaker, if there is one
	 * @param policies the policy holder, if there is one
	 * @return the listener that registers for policy changes once every singleton exists
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

	/**
	 * Each named target gets a breaker of its own, so that one target's slow policy
	 * degrades only that target.
	 * @param properties the breaker settings to give each target
	 * @return the factory of per-target breakers
	 */
	@Bean
	@ConditionalOnMissingBean
	CompressionTargets.BreakerFactory compressionTargetBreakers(CompressRedisProperties properties) {
		BreakerSettings settings = settings(properties);
		return (target, stats) -> new CompressionBreaker(settings, stats);
	}

	private static BreakerSettings settings(CompressRedisProperties properties) {
		try {
			return properties.getResilience().getBreaker().toSettings();
		}
		catch (IllegalArgumentException ex) {
			throw InvalidCompressRedisPropertyException.of("compress.redis.resilience.breaker", ex);
		}
	}

}
