package io.github.compressredis.autoconfigure;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint.CompressionDescriptor;
import io.github.compressredis.actuate.endpoint.CompressionEndpoint.PolicyDescriptor;
import io.github.compressredis.actuate.endpoint.CompressionEndpoint.RefusalDescriptor;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.boot.test.context.FilteredClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CompressRedisRuntimeHints}.
 *
 * @author compress-redis contributors
 */
class CompressRedisRuntimeHintsTests {

	private final RuntimeHints hints = registered(getClass().getClassLoader());

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(CompressRedisRuntimeHints.class);
	}

	@Test
	void policyOverrideCanBeBoundAtRuntime() throws Exception {
		Class<?> type = CompressRedisProperties.PolicyOverride.class;
		assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(type.getDeclaredConstructor()))
			.accepts(this.hints);
		for (String setter : new String[] { "setAlgorithm", "setLevel", "setMinSize", "setMaxRatio", "setChecksum",
				"setMaxDecompressedSize", "setRolloutPercent" }) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(type, setter)).as(setter)
				.accepts(this.hints);
		}
	}

	@Test
	void propertiesCanBeBoundAtRuntime() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(CompressRedisProperties.class.getDeclaredConstructor())).accepts(this.hints);
		assertThat(
				RuntimeHintsPredicates.reflection().onMethodInvocation(CompressRedisProperties.class, "setAlgorithm"))
			.accepts(this.hints);
	}

	@Test
	void bodiesOfTheEndpointWriteOperationCanBeSerialized() {
		for (Class<?> type : new Class<?>[] { RefusalDescriptor.class, PolicyDescriptor.class,
				CompressionDescriptor.class }) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RefusalDescriptor.class, "reason"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PolicyDescriptor.class, "algorithm"))
			.accepts(this.hints);
	}

	@Test
	void endpointBodiesAreLeftOutWithoutTheActuator() {
		RuntimeHints withoutActuator = registered(new FilteredClassLoader("org.springframework.boot.actuate."));
		assertThat(RuntimeHintsPredicates.reflection().onType(RefusalDescriptor.class)).rejects(withoutActuator);
		assertThat(RuntimeHintsPredicates.reflection().onType(CompressRedisProperties.PolicyOverride.class))
			.accepts(withoutActuator);
	}

	private static RuntimeHints registered(ClassLoader classLoader) {
		RuntimeHints hints = new RuntimeHints();
		new CompressRedisRuntimeHints().registerHints(hints, classLoader);
		return hints;
	}

}
