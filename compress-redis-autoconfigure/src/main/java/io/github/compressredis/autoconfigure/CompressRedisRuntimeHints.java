package io.github.compressredis.autoconfigure;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * Runtime hints for what the auto-configuration reaches reflectively beyond the beans
 * Spring AOT already describes: the types Boot's {@code Binder} binds policy changes into
 * at runtime (Nacos content, the endpoint's body, per-cache overrides), and the bodies of
 * the endpoint's write operation, which Boot's endpoint hints cannot see behind its
 * {@code WebEndpointResponse<Object>}.
 *
 * @author compress-redis contributors
 */
class CompressRedisRuntimeHints implements RuntimeHintsRegistrar {

	private static final String ENDPOINT_CLASS = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar
			.forTypes(CompressRedisProperties.class, CompressRedisProperties.PolicyOverride.class)
			.registerHints(hints, classLoader);
		if (ClassUtils.isPresent(ENDPOINT_CLASS, classLoader)) {
			new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
					CompressionEndpoint.CompressionDescriptor.class, CompressionEndpoint.RefusalDescriptor.class);
		}
	}

}
