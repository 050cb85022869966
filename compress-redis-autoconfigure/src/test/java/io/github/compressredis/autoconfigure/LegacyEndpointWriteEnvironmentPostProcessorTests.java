package io.github.compressredis.autoconfigure;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LegacyEndpointWriteEnvironmentPostProcessor}: the deprecated property keeps
 * opening the write operation for one release.
 */
class LegacyEndpointWriteEnvironmentPostProcessorTests {

	private final LegacyEndpointWriteEnvironmentPostProcessor postProcessor = new LegacyEndpointWriteEnvironmentPostProcessor(
			Supplier<Log>::get);

	@Test
	void deprecatedWriteEnabledGrantsUnrestrictedAccess() {
		MockEnvironment environment = new MockEnvironment().withProperty("compress.redis.endpoint.write-enabled", "true");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("management.endpoint.compression.access")).isEqualTo("unrestricted");
	}

	@Test
	void explicitAccessWins() {
		MockEnvironment environment = new MockEnvironment().withProperty("compress.redis.endpoint.write-enabled", "true")
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

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

}
