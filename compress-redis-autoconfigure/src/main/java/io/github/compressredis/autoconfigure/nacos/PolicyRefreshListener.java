package io.github.compressredis.autoconfigure.nacos;

import java.util.List;
import java.util.Objects;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

/**
 * Follows the Spring Cloud refresh path: when a refresh changes a policy key under
 * {@code compress.redis} ({@code algorithm}, {@code level}...), as content imported with
 * {@code spring.config.import: nacos:...} does, the policy is bound again from the environment
 * and put in force, or refused.
 */
public final class PolicyRefreshListener implements ApplicationListener<EnvironmentChangeEvent> {

	private static final List<ConfigurationPropertyName> POLICY_KEYS = PolicyContent.KEYS.stream()
		.map((key) -> ConfigurationPropertyName.of("compress.redis." + key))
		.toList();

	private final NacosPolicyUpdater updater;

	public PolicyRefreshListener(NacosPolicyUpdater updater) {
		this.updater = Objects.requireNonNull(updater, "'updater' must not be null");
	}

	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		if (event.getKeys().stream().anyMatch(PolicyRefreshListener::isPolicyKey)) {
			this.updater.applyEnvironment();
		}
	}

	private static boolean isPolicyKey(String key) {
		ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
		return POLICY_KEYS.contains(name);
	}

}
