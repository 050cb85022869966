package io.github.compressredis.autoconfigure;

import java.util.List;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CompressionEndpointAutoConfiguration}: which endpoint bean exists,
 * which operations Boot's web endpoint discovery finds on it, and Boot's usual access and
 * exposure rules.
 */
class CompressionEndpointAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				CompressRedisAutoConfiguration.class, CompressionEndpointAutoConfiguration.class))
		// as SpringApplication does, so that 'none' binds to Access.NONE
		.withInitializer(
				(context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()));

	@Test
	void endpointIsReadOnlyByDefault() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=compression")
			.run((context) -> {
				assertThat(context).hasSingleBean(CompressionEndpoint.class);
				assertThat(operationTypes(context)).containsExactly(OperationType.READ);
			});
	}

	@Test
	void writeOperationIsPresentWhenAccessIsUnrestricted() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=compression",
					"management.endpoint.compression.access=unrestricted")
			.run((context) -> {
				assertThat(operationTypes(context)).containsExactlyInAnyOrder(OperationType.READ, OperationType.WRITE);
				CompressionEndpoint endpoint = context.getBean(CompressionEndpoint.class);
				assertThat(endpoint.compression().policy().version()).isOne();
			});
	}

	@Test
	void endpointUsesTheSharedPolicyAndStatistics() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=compression",
					"management.endpoint.compression.access=unrestricted")
			.run((context) -> {
				CompressionEndpoint endpoint = context.getBean(CompressionEndpoint.class);
				endpoint.updatePolicy("gzip", 9, null, null, null, null, null);
				CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
				assertThat(holder.policy().algorithm().tag()).isEqualTo("gzip");
				assertThat(holder.policy().level()).isEqualTo(9);
				context.getBean(CompressionStats.class).recordPlainRead(10);
				assertThat(endpoint.compression().reads().plain()).isOne();
			});
	}

	@Test
	void endpointIsAbsentWhenAccessIsNone() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=compression",
					"management.endpoint.compression.access=none")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CompressionEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(CompressionPolicyHolder.class)
			.doesNotHaveBean(CompressionEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenExcludedFromExposure() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=*",
					"management.endpoints.web.exposure.exclude=compression")
			.run((context) -> assertThat(context).doesNotHaveBean(CompressionEndpoint.class));
	}

	@Test
	void endpointIsPresentWhenEverythingIsExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(context).hasSingleBean(CompressionEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenCompressionIsDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=compression", "compress.redis.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CompressionEndpoint.class));
	}

	@Test
	void endpointBacksOffWhenUserDefinesOne() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=compression")
			.withBean("userCompressionEndpoint", CompressionEndpoint.class,
					() -> new CompressionEndpoint(new CompressionPolicyHolder(CompressionPolicy.defaults()),
							new CompressionStats(), new PolicyPipeline(new PolicyValidator((algorithm) -> true), null)))
			.run((context) -> assertThat(context).hasSingleBean(CompressionEndpoint.class)
				.hasBean("userCompressionEndpoint"));
	}

	private static List<OperationType> operationTypes(AssertableWebApplicationContext context) {
		ExposableWebEndpoint endpoint = context.getBean(WebEndpointsSupplier.class)
			.getEndpoints()
			.stream()
			.filter((candidate) -> candidate.getEndpointId().equals(EndpointId.of("compression")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No web endpoint 'compression' was discovered"));
		return endpoint.getOperations().stream().map(WebOperation::getType).toList();
	}

}
