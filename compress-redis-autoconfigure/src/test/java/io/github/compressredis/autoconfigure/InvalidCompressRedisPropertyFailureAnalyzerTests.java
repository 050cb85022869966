package io.github.compressredis.autoconfigure;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * An invalid {@code compress.redis} property stops the application with a report naming
 * the property as the user writes it, its value, where it was set and what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidCompressRedisPropertyFailureAnalyzerTests {

	// nothing connects to Redis before the configuration is refused
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataRedis(),
				CompressRedisAutoConfiguration.class, CompressRedisResilienceAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=127.0.0.1");

	@Test
	void sizeAboveTwoGigabytesIsRefusedOnItsLongValueNamingTheProperty() {
		FailureAnalysis analysis = failedStartup("compress.redis.dictionary.max-sample-size=3GB");
		assertThat(analysis.getDescription())
			.startsWith("Invalid value '3GB' for configuration property 'compress.redis.dictionary.max-sample-size'")
			.contains("must be between 0 and 2147483647 bytes, was 3221225472B")
			.doesNotContain("maxSampleSize");
		assertThat(analysis.getAction()).contains("'compress.redis.dictionary.max-sample-size'");
	}

	@Test
	void dictionaryFieldCheckedByTheCoreIsNamedInKebabCaseWithItsPrefix() {
		assertThat(failedStartup("compress.redis.dictionary.sample-rate=0").getDescription())
			.startsWith("Invalid value '0' for configuration property 'compress.redis.dictionary.sample-rate'")
			.contains("must be at least 1")
			.doesNotContain("sampleRate");
	}

	@Test
	void policyFieldIsNamedWithItsPrefix() {
		assertThat(failedStartup("compress.redis.rollout-percent=0").getDescription())
			.startsWith("Invalid value '0' for configuration property 'compress.redis.rollout-percent'")
			.contains("must be between 1 and 100");
	}

	@Test
	void breakerFieldIsNamedWithItsPrefix() {
		assertThat(failedStartup("compress.redis.resilience.breaker.slow-call-rate=2").getDescription())
			.startsWith(
					"Invalid value '2' for configuration property 'compress.redis.resilience.breaker.slow-call-rate'")
			.contains("must be above 0 and at most 1");
	}

	@Test
	void unknownPolicyFieldNamesTheGroupAndTheField() {
		assertThat(failedStartup("compress.redis.min-sise=1KB").getDescription())
			.startsWith("Invalid value for configuration property 'compress.redis'")
			.contains("unknown field 'min-sise'");
	}

	@Test
	void cacheOverrideInvalidOnTheGlobalPolicyNamesTheCachesProperty() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("spring.cache.type=redis", "compress.redis.cache.policies.products.level=99")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure(),
						"compress.redis.cache.policies.products.level=99");
				assertThat(analysis.getDescription()).startsWith(
						"Invalid value '99' for configuration property 'compress.redis.cache.policies[products].level'")
					.contains("99 is out of range for zstd (-22 to 22)");
			});
	}

	@Test
	void startupPrintsTheReportThroughTheRegisteredAnalyzer(CapturedOutput output) {
		SpringApplication application = minimalApplication();
		assertThatException().isThrownBy(() -> application.run("--spring.data.redis.host=127.0.0.1",
				"--compress.redis.dictionary.max-sample-size=3GB"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '3GB' for configuration property 'compress.redis.dictionary.max-sample-size' "
					+ "(set in \"compress.redis.dictionary.max-sample-size\" from property source \"commandLineArgs\")")
			.contains("Action:")
			.contains("remove it to use the default");
	}

	@Test
	void deprecatedPropertyRefusedBeforeTheContextExistsIsReportedToo(CapturedOutput output) {
		SpringApplication application = minimalApplication();
		assertThatException()
			.isThrownBy(() -> application.run("--compress.redis.resilience.breaker.latency-percentile=99"));
		// no environment is handed to the analyzer yet: the value is in the reason
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value for configuration property 'compress.redis.resilience.breaker.latency-percentile'")
			.contains("must be above 0 and below 1 (0.99 is a slow-call-rate of 0.01), was 99");
	}

	private FailureAnalysis failedStartup(String property) {
		AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			analysis.set(analyze(context.getStartupFailure(), property));
		});
		return analysis.get();
	}

	// only Redis (the auto-configuration of the Boot line in use) and compress-redis
	private static SpringApplication minimalApplication() {
		SpringApplication application = new SpringApplication(BootAutoConfigurations.dataRedis(),
				CompressRedisAutoConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application;
	}

	// a context that failed to start hands out no environment: the same properties in a
	// new one
	private static FailureAnalysis analyze(Throwable failure, String property) {
		MockEnvironment environment = new MockEnvironment();
		TestPropertyValues.of(property).applyTo(environment);
		FailureAnalysis analysis = new InvalidCompressRedisPropertyFailureAnalyzer(environment).analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
