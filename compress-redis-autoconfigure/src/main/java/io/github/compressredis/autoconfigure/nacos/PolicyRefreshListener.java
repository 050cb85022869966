package io.github.compressredis.autoconfigure.nacos;

import java.util.Objects;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

/**
 * Follows the Spring Cloud refresh path: when a refresh changes a policy key under
 * {@code compress.redis} ({@code algorithm}, {@code level}...), as content imported with
 * {@code spring.config.import} of a config other than the data ID the starter follows
 * does, the policy is bound again from the environment, with the followed data ID's
 * content on top, and put in force, or refused. The followed data ID's own keys never
 * reach the environment ({@link FollowedDataIdPropertySourceFilter}): its changes take
 * the listener's path only.
 *
 * @author compress-redis contributors
 */
public final class PolicyRefreshListener implements ApplicationListener<EnvironmentChangeEvent> {

	private final NacosPolicyUpdater updater;

	public PolicyRefreshListener(NacosPolicyUpdater updater) {
		this.updater = Objects.requireNonNull(updater, "'updater' must not be null");
	}

	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		if (event.getKeys().stream().anyMatch(FollowedDataIdPropertySourceFilter::isPolicyKey)) {
			this.updater.applyEnvironment();
		}
	}

}
