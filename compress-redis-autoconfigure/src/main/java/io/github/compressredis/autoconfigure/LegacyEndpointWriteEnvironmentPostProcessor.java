package io.github.compressredis.autoconfigure;

import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps the deprecated {@code compress.redis.endpoint.write-enabled=true} working for one release:
 * it grants {@code management.endpoint.compression.access=unrestricted}, the property that
 * replaces it, unless that is set, and warns.
 */
class LegacyEndpointWriteEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String LEGACY = "compress.redis.endpoint.write-enabled";

	static final String ACCESS = "management.endpoint.compression.access";

	private final Log logger;

	LegacyEndpointWriteEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(LegacyEndpointWriteEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// after the application's configuration files are loaded
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(LEGACY, Boolean.class, false)) {
			return;
		}
		if (environment.containsProperty(ACCESS)) {
			this.logger.warn(LEGACY + " is deprecated and ignored because " + ACCESS + " is set; remove it");
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("compress-redis-legacy-endpoint-access", Map.of(ACCESS, "unrestricted")));
		this.logger.warn(LEGACY + " is deprecated and will be removed in the next release; set " + ACCESS
				+ "=unrestricted instead");
	}

}
