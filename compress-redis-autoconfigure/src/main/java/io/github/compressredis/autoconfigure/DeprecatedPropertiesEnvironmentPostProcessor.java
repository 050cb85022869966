package io.github.compressredis.autoconfigure;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps the properties deprecated in 0.2.0 working for one release, each by setting the
 * property that replaces it (unless that is set), with a warning:
 * {@code compress.redis.endpoint.write-enabled=true} grants
 * {@code management.endpoint.compression.access=unrestricted}, and
 * {@code compress.redis.resilience.breaker.latency-percentile} p becomes
 * {@code compress.redis.resilience.breaker.slow-call-rate} 1 - p (0.1.0's rule "the p-th
 * percentile within budget" lets that share of compressions be over budget).
 *
 * @author compress-redis contributors
 */
@SuppressWarnings("removal") // Boot 3.5's interface: Boot 4.x loads it from its old key
								// too
class DeprecatedPropertiesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String LEGACY = "compress.redis.endpoint.write-enabled";

	static final String ACCESS = "management.endpoint.compression.access";

	static final String LATENCY_PERCENTILE = "compress.redis.resilience.breaker.latency-percentile";

	static final String SLOW_CALL_RATE = "compress.redis.resilience.breaker.slow-call-rate";

	private final Log logger;

	DeprecatedPropertiesEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(DeprecatedPropertiesEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// after the application's configuration files are loaded
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> replacements = new LinkedHashMap<>();
		endpointAccess(environment, replacements);
		slowCallRate(environment, replacements);
		if (!replacements.isEmpty()) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("compress-redis-deprecated-properties", replacements));
		}
	}

	private void endpointAccess(ConfigurableEnvironment environment, Map<String, Object> replacements) {
		if (!environment.getProperty(LEGACY, Boolean.class, false)) {
			return;
		}
		if (environment.containsProperty(ACCESS)) {
			this.logger.warn(LEGACY + " is deprecated and ignored because " + ACCESS + " is set; remove it");
			return;
		}
		replacements.put(ACCESS, "unrestricted");
		this.logger.warn(LEGACY + " is deprecated and will be removed in the next release; set " + ACCESS
				+ "=unrestricted instead");
	}

	private void slowCallRate(ConfigurableEnvironment environment, Map<String, Object> replacements) {
		String percentile = environment.getProperty(LATENCY_PERCENTILE);
		if (percentile == null) {
			return;
		}
		if (environment.containsProperty(SLOW_CALL_RATE)) {
			this.logger.warn(
					LATENCY_PERCENTILE + " is deprecated and ignored because " + SLOW_CALL_RATE + " is set; remove it");
			return;
		}
		BigDecimal rate = slowCallRate(percentile.strip());
		replacements.put(SLOW_CALL_RATE, rate.toPlainString());
		this.logger.warn(LATENCY_PERCENTILE + " is deprecated and will be removed in the next release; set "
				+ SLOW_CALL_RATE + "=" + rate.toPlainString() + " instead (the share of compressions over budget "
				+ "that trips the breaker)");
	}

	private static BigDecimal slowCallRate(String percentile) {
		try {
			BigDecimal value = new BigDecimal(percentile);
			if (value.signum() > 0 && value.compareTo(BigDecimal.ONE) < 0) {
				return BigDecimal.ONE.subtract(value);
			}
		}
		catch (NumberFormatException ex) {
			// refused below
		}
		throw InvalidCompressRedisPropertyException.of("compress.redis.resilience.breaker",
				new IllegalArgumentException("'latency-percentile' must be above 0 and below 1 (0.99 is a "
						+ "slow-call-rate of 0.01), was " + percentile));
	}

}
