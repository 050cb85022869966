package io.github.compressredis.autoconfigure.nacos;

import java.util.Objects;

import io.github.compressredis.autoconfigure.PolicyPipeline;
import io.github.compressredis.autoconfigure.PolicyRefusedException;
import io.github.compressredis.core.internal.policy.PolicyPatch;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;

/**
 * Puts in force the policy that Nacos describes: the application's
 * {@code compress.redis.*} configuration without the followed data ID (the base, the same
 * for every change, so the same content always gives the same policy), with the content
 * of the Nacos data ID on top. Each change, a new content or a refreshed environment, is
 * validated as a whole and swapped in atomically with source {@code nacos}, through the
 * {@link PolicyPipeline} every source uses; an invalid one is refused with its reason,
 * logged and counted, and the policy in force stays. A {@link CompressionPolicy} bean
 * pins the policy: every change is refused.
 *
 * @author compress-redis contributors
 */
public final class NacosPolicyUpdater {

	private final CompressionPolicyHolder holder;

	private final Environment environment;

	private final PolicyPipeline pipeline;

	// the last accepted Nacos content, layered on top of the environment on every change
	private PolicyPatch content = PolicyPatch.empty();

	/**
	 * Create an updater.
	 * @param holder the holder to update
	 * @param environment the environment that {@code compress.redis.*} is bound from
	 * @param pipeline binds, merges and checks every change, and records refusals
	 */
	public NacosPolicyUpdater(CompressionPolicyHolder holder, Environment environment, PolicyPipeline pipeline) {
		this.holder = Objects.requireNonNull(holder, "'holder' must not be null");
		this.environment = Objects.requireNonNull(environment, "'environment' must not be null");
		this.pipeline = Objects.requireNonNull(pipeline, "'pipeline' must not be null");
	}

	/**
	 * Apply the content of the Nacos data ID. Empty or deleted content removes the Nacos
	 * layer: the policy of the application's configuration applies again.
	 * @param dataId the data ID
	 * @param group the group
	 * @param content the content, {@code null} when the data ID does not exist
	 * @return whether the content was accepted
	 */
	public boolean applyContent(String dataId, String group, @Nullable String content) {
		return applyContent(dataId, group, content, PolicySource.NACOS);
	}

	/**
	 * Apply the content of the Nacos data ID, from the server or from the Nacos client's
	 * local snapshot. Empty or deleted content removes the Nacos layer.
	 * @param dataId the data ID
	 * @param group the group
	 * @param content the content, {@code null} when the data ID does not exist
	 * @param source {@link PolicySource#NACOS} or {@link PolicySource#NACOS_SNAPSHOT}
	 * @return whether the content was accepted
	 */
	public synchronized boolean applyContent(String dataId, String group, @Nullable String content,
			PolicySource source) {
		String origin = ((source == PolicySource.NACOS_SNAPSHOT) ? "the Nacos client's local snapshot of " : "")
				+ "Nacos dataId '" + dataId + "', group '" + group + "'";
		if (this.pipeline.getPinningBean() != null && (content == null || content.isBlank())) {
			return true;
		}
		PolicyPatch[] parsed = new PolicyPatch[1];
		try {
			this.pipeline.change(this.holder, source, origin, (inForce) -> {
				parsed[0] = this.pipeline.bind(PolicyContent.parse(dataId, content).values());
				return this.pipeline.resolve(applicationPolicy(), parsed[0]);
			});
		}
		catch (PolicyRefusedException ex) {
			return false;
		}
		this.content = parsed[0];
		return true;
	}

	/**
	 * Apply {@code compress.redis.*} as the environment now holds it, after a Spring
	 * Cloud refresh, with the last accepted Nacos content on top.
	 * @return whether the refreshed configuration was accepted
	 */
	public synchronized boolean applyEnvironment() {
		try {
			this.pipeline.change(this.holder, PolicySource.NACOS, "refreshed compress.redis configuration",
					(inForce) -> this.pipeline.resolve(environmentPolicy(), this.content));
			return true;
		}
		catch (PolicyRefusedException ex) {
			return false;
		}
	}

	private CompressionPolicy applicationPolicy() {
		try {
			return environmentPolicy();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"compress.redis in the application's configuration is invalid: " + ex.getMessage(), ex);
		}
	}

	// the policy compress.redis.* describes now; the bound bean may not have been rebound
	// yet
	private CompressionPolicy environmentPolicy() {
		return this.pipeline.applicationPolicy(this.environment);
	}

}
