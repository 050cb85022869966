package io.github.compressredis.autoconfigure;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DeprecatedPropertiesEnvironmentPostProcessor}: the properties
 * deprecated in 0.2.0 keep working for one release through the properties that replace
 * them.
 */
class DeprecatedPropertiesEnvironmentPostProcessorTests {

	private final DeprecatedPropertiesEnvironmentPostProcessor postProcessor = new DeprecatedPropertiesEnvironmentPostProcessor(
			Supplier<Log>::get);

	@Test
	void deprecatedWriteEnabledGrantsUnrestrictedAccess() {
		MockEnvironment environment = new MockEnvironment().withProperty("compress.redis.endpoint.write-enabled",
				"true");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoint.compression.access")).isEqualTo("unrestricted");
	}

	@Test
	void explicitAccessWins() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("compress.redis.endpoint.write-enabled", "true")
			.withProperty("management.endpoint.compression.access", "read-only");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoint.compression.access")).isEqualTo("read-only");
	}

	@Test
	void springApplicationRunsItFromSpringFactories() {
		SpringApplication application = new SpringApplication(EmptyConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--compress.redis.endpoint.write-enabled=true",
				"--spring.main.banner-mode=off", "--compress.redis.enabled=false")) {
			assertThat(context.getEnvironment().getProperty("management.endpoint.compression.access"))
				.isEqualTo("unrestricted");
		}
	}

	@Test
	void nothingIsGrantedWithoutTheDeprecatedProperty() {
		MockEnvironment environment = new MockEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty("management.endpoint.compression.access")).isFalse();
	}

	@Test
	void deprecatedLatencyPercentileBecomesTheSlowCallRateItAllowed() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("compress.redis.resilience.breaker.latency-percentile", "0.99");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("compress.redis.resilience.breaker.slow-call-rate")).isEqualTo("0.01");
	}

	@Test
	void explicitSlowCallRateWins() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("compress.redis.resilience.breaker.latency-percentile", "0.99")
			.withProperty("compress.redis.resilience.breaker.slow-call-rate", "0.3");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("compress.redis.resilience.breaker.slow-call-rate")).isEqualTo("0.3");
	}

	@Test
	void latencyPercentileOutOfRangeIsRefusedNamingIt() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("compress.redis.resilience.breaker.latency-percentile", "99");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(environment, new SpringApplication()))
			.withMessage("Invalid compress.redis.resilience.breaker.latency-percentile: must be above 0 and below 1 "
					+ "(0.99 is a slow-call-rate of 0.01), was 99");
	}

	@Test
	void boundBreakerFollowsTheDeprecatedLatencyPercentile() {
		SpringApplication application = new SpringApplication(EmptyConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run(
				"--compress.redis.resilience.breaker.latency-percentile=0.95", "--spring.main.banner-mode=off",
				"--compress.redis.enabled=false")) {
			CompressRedisProperties properties = Binder.get(context.getEnvironment())
				.bindOrCreate("compress.redis", CompressRedisProperties.class);
			assertThat(properties.getResilience().getBreaker().toSettings().slowCallRate()).isEqualTo(0.05);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

}
