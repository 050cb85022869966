package io.github.compressredis.autoconfigure;

import java.util.Set;
import java.util.stream.Collectors;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameter;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@code /actuator/compression}, when the actuator is present. Its
 * write operation follows Boot's endpoint access model: enable it with
 * {@code management.endpoint.compression.access=unrestricted}.
 *
 * @author compress-redis contributors
 */
@AutoConfiguration(after = CompressRedisAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBean({ CompressionPolicyHolder.class, PolicyPipeline.class })
public final class CompressionEndpointAutoConfiguration {

	// on the method, so that its condition class is only loaded once the class conditions
	// matched
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(CompressionEndpoint.class)
	CompressionEndpoint compressionEndpoint(CompressionPolicyHolder compressionPolicyHolder,
			CompressionStats compressionStats, PolicyPipeline compressionPolicyPipeline,
			ObjectProvider<DictionaryRegistry> dictionaryRegistry, ObjectProvider<CompressionTargets> targets,
			ObjectProvider<CompressionEndpoint.LatencyPercentiles> latency) {
		CompressionEndpoint endpoint = new CompressionEndpoint(compressionPolicyHolder, compressionStats,
				compressionPolicyPipeline);
		endpoint.setDictionaries(dictionaryRegistry.getIfUnique());
		endpoint.setTargets(targets.getIfUnique());
		latency.ifUnique(endpoint::setLatency);
		return endpoint;
	}

	@Bean
	@ConditionalOnBean(CompressionEndpoint.class)
	static OperationInvokerAdvisor compressionEndpointUnknownFieldsAdvisor(
			ObjectProvider<CompressionEndpoint> endpoint) {
		return new UnknownFieldsAdvisor(endpoint);
	}

	/**
	 * Boot hands an operation only the body fields named like its parameters and drops
	 * the others: a request to the write operation with a field it does not know is
	 * refused instead, with the field named, as Nacos content with an unknown key is.
	 */
	static final class UnknownFieldsAdvisor implements OperationInvokerAdvisor {

		private final ObjectProvider<CompressionEndpoint> endpoint;

		UnknownFieldsAdvisor(ObjectProvider<CompressionEndpoint> endpoint) {
			this.endpoint = endpoint;
		}

		@Override
		public OperationInvoker apply(EndpointId endpointId, OperationType operationType,
				OperationParameters parameters, OperationInvoker invoker) {
			if (!CompressionEndpoint.ID.equals(endpointId.toString()) || operationType != OperationType.WRITE) {
				return invoker;
			}
			Set<String> names = parameters.stream().map(OperationParameter::getName).collect(Collectors.toSet());
			return (context) -> {
				if (names.containsAll(context.getArguments().keySet())) {
					return invoker.invoke(context);
				}
				return this.endpoint.getObject().update(context.getArguments());
			};
		}

	}

}
