package io.github.compressredis.autoconfigure.nacos;

import java.util.Objects;
import java.util.function.Predicate;

import io.github.compressredis.autoconfigure.CompressRedisProperties;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.policy.PolicyVersion;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Puts in force the policy that Nacos describes: the application's {@code compress.redis.*}
 * configuration without the followed data ID (the base, the same for every change, so the same
 * content always gives the same policy), with the content of the Nacos data ID on top. Each change, a new content or a
 * refreshed environment, is validated as a whole and swapped in atomically with source
 * {@code nacos}; an invalid one is refused with its reason, logged and counted, and the policy in
 * force stays. A {@link CompressionPolicy} bean pins the policy: every change is refused.
 */
public final class NacosPolicyUpdater {

	private static final Log logger = LogFactory.getLog(NacosPolicyUpdater.class);

	/** Redis's largest string value: a larger {@code min-size} would never compress anything. */
	static final long REDIS_MAX_VALUE = 512L * 1024 * 1024;

	private final CompressionPolicyHolder holder;

	private final Environment environment;

	private final @Nullable String pinningBean;

	private final Predicate<Algorithm> available;

	// the last accepted Nacos content, layered on top of the environment on every change
	private PolicyContent content = PolicyContent.empty();

	/**
	 * Create an updater.
	 * @param holder the holder to update
	 * @param environment the environment that {@code compress.redis.*} is bound from
	 * @param pinningBean the name of the {@link CompressionPolicy} bean that pins the policy, or
	 * {@code null} when there is none
	 * @param available whether an algorithm can be used here
	 */
	public NacosPolicyUpdater(CompressionPolicyHolder holder, Environment environment, @Nullable String pinningBean,
			Predicate<Algorithm> available) {
		this.holder = Objects.requireNonNull(holder, "'holder' must not be null");
		this.environment = Objects.requireNonNull(environment, "'environment' must not be null");
		this.pinningBean = pinningBean;
		this.available = Objects.requireNonNull(available, "'available' must not be null");
	}

	/**
	 * Apply the content of the Nacos data ID. Empty or deleted content removes the Nacos layer:
	 * the policy of the application's configuration applies again.
	 * @param dataId the data ID
	 * @param group the group
	 * @param content the content, {@code null} when the data ID does not exist
	 * @return whether the content was accepted
	 */
	public boolean applyContent(String dataId, String group, @Nullable String content) {
		return applyContent(dataId, group, content, PolicySource.NACOS);
	}

	/**
	 * Apply the content of the Nacos data ID, from the server or from the Nacos client's local
	 * snapshot. Empty or deleted content removes the Nacos layer.
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
		if (this.pinningBean != null) {
			return (content == null || content.isBlank()) || refuse(origin, pinnedReason());
		}
		PolicyContent parsed;
		CompressionPolicy policy;
		try {
			parsed = PolicyContent.parse(dataId, content);
			policy = validate(parsed.applyTo(applicationPolicy()));
		}
		catch (IllegalArgumentException ex) {
			return refuse(origin, ex.getMessage());
		}
		this.content = parsed;
		apply(origin, policy, source);
		return true;
	}

	/**
	 * Apply {@code compress.redis.*} as the environment now holds it, after a Spring Cloud
	 * refresh, with the last accepted Nacos content on top.
	 * @return whether the refreshed configuration was accepted
	 */
	public synchronized boolean applyEnvironment() {
		String origin = "refreshed compress.redis configuration";
		if (this.pinningBean != null) {
			return refuse(origin, pinnedReason());
		}
		CompressionPolicy policy;
		try {
			policy = validate(this.content.applyTo(environmentPolicy()));
		}
		catch (IllegalArgumentException ex) {
			return refuse(origin, ex.getMessage());
		}
		apply(origin, policy, PolicySource.NACOS);
		return true;
	}

	private void apply(String origin, CompressionPolicy policy, PolicySource source) {
		PolicyVersion before = this.holder.current();
		PolicyVersion after = this.holder.update(policy, source);
		if (after != before && logger.isInfoEnabled()) {
			logger.info("compress-redis policy version " + after.version() + " from " + origin + ": " + after.changes());
		}
	}

	private boolean refuse(String origin, String reason) {
		PolicyVersion current = this.holder.current();
		logger.warn("Refused the compress-redis policy from " + origin + ": " + reason
				+ ". The policy in force stays: version " + current.version() + " (" + current.source().tag() + ").");
		this.holder.refuse(PolicySource.NACOS, origin + ": " + reason);
		return false;
	}

	private String pinnedReason() {
		return "the policy is pinned by the CompressionPolicy bean '" + this.pinningBean
				+ "'; remove that bean to let Nacos change the policy";
	}

	private CompressionPolicy applicationPolicy() {
		try {
			return environmentPolicy();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("compress.redis in the application's configuration is invalid: "
					+ ex.getMessage(), ex);
		}
	}

	// the policy compress.redis.* describes now; the bound bean may not have been rebound yet
	private CompressionPolicy environmentPolicy() {
		Binder binder = Binder.get(this.environment);
		try {
			// the algorithm's own message names the valid values; the enum conversion's does not
			binder.bind("compress.redis.algorithm", String.class).ifBound(Algorithm::forName);
			return binder.bindOrCreate("compress.redis", CompressRedisProperties.class).toPolicy();
		}
		catch (BindException ex) {
			Throwable cause = ex;
			while (cause.getCause() != null) {
				cause = cause.getCause();
			}
			throw new IllegalArgumentException("'" + ex.getName() + "' cannot be read: " + cause.getMessage(), ex);
		}
	}

	// bounds that only a change can break: a typo in a unit must not disable compression or reads
	private CompressionPolicy validate(CompressionPolicy policy) {
		if (!this.available.test(policy.algorithm())) {
			throw new IllegalArgumentException("'algorithm' " + policy.algorithm().tag()
					+ " is not available here; add its library (snappy needs org.xerial.snappy:snappy-java) or choose another");
		}
		CompressionPolicy current = this.holder.policy();
		if (policy.minSize() != current.minSize() && policy.minSize() > REDIS_MAX_VALUE) {
			throw new IllegalArgumentException("'min-size' " + policy.minSize()
					+ " bytes is larger than Redis's largest value (512MB): nothing would be compressed");
		}
		boolean sizesChanged = policy.minSize() != current.minSize()
				|| policy.maxDecompressedSize() != current.maxDecompressedSize();
		if (sizesChanged && policy.maxDecompressedSize() < policy.minSize()) {
			throw new IllegalArgumentException("'max-decompressed-size' " + policy.maxDecompressedSize()
					+ " bytes is below 'min-size' " + policy.minSize()
					+ " bytes: nothing would be compressed and larger compressed values would no longer read");
		}
		return policy;
	}

}
