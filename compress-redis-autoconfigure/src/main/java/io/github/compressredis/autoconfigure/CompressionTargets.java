package io.github.compressredis.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.internal.policy.PolicyPatch;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicyVersion;
import io.github.compressredis.core.policy.RefusedChange;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.BreakerStatus;
import io.github.compressredis.core.stats.CompressionStats;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The named targets the auto-configuration compresses: each RedisTemplate
 * ({@code template:<bean>}), each configured cache ({@code cache:<name>}), the caches
 * created at runtime ({@code cache}) and Spring Session ({@code session}). Each target
 * has its own policy, derived from the global one and its override through the
 * {@link PolicyPipeline} and recomputed on every global change in version order, its own
 * breaker, its own statistics (which add up in the shared ones) and its own dictionary. A
 * global change that makes one target's policy invalid still applies; that target keeps
 * its previous policy and the refusal is logged and recorded for it.
 *
 * @author compress-redis contributors
 */
public final class CompressionTargets {

	/**
	 * The name of the target shared by caches created at runtime, which no configuration
	 * names.
	 */
	public static final String RUNTIME_CACHES = "cache";

	private static final Log logger = LogFactory.getLog(CompressionTargets.class);

	private final CompressionPolicyHolder global;

	private final PolicyPipeline pipeline;

	private final ValueCompressor shared;

	private final @Nullable BreakerFactory breakers;

	private final @Nullable DictionaryRegistry dictionaries;

	private final Object lock = new Object();

	private final Map<String, Target> targets = new LinkedHashMap<>();

	private final List<Consumer<Target>> creationListeners = new ArrayList<>();

	private long appliedVersion;

	/**
	 * Create the targets of a shared compressor.
	 * @param shared the shared compressor: its policy is the global one, its codecs,
	 * statistics and dictionary provider are shared by every target
	 * @param pipeline derives each target's policy
	 * @param breakers creates each target's breaker, {@code null} for none
	 * @param dictionaries the registry targets write with dictionaries of, {@code null}
	 * for none
	 */
	public CompressionTargets(ValueCompressor shared, PolicyPipeline pipeline, @Nullable BreakerFactory breakers,
			@Nullable DictionaryRegistry dictionaries) {
		this.shared = Objects.requireNonNull(shared, "'shared' must not be null");
		this.global = shared.getPolicies();
		this.pipeline = Objects.requireNonNull(pipeline, "'pipeline' must not be null");
		this.breakers = breakers;
		this.dictionaries = dictionaries;
		this.appliedVersion = this.global.current().version();
		// one listener for every target: deriving under the lock from the version in
		// force keeps
		// the targets in version order, whichever order the notifications of concurrent
		// changes run in
		this.global.addListener((version) -> rederive());
	}

	/**
	 * Return the compressor of a target without an override, creating the target on first
	 * use.
	 * @param name the target's name
	 * @return its compressor
	 */
	public ValueCompressor compressor(String name) {
		return compressor(name, PolicyPatch.empty());
	}

	/**
	 * Return the compressor of a target, creating the target on first use with the given
	 * override.
	 * @param name the target's name
	 * @param override the fields of its policy that differ from the global policy
	 * @return its compressor
	 * @throws IllegalStateException when the target exists with another override, or the
	 * override makes the global policy invalid
	 */
	public ValueCompressor compressor(String name, PolicyPatch override) {
		Objects.requireNonNull(name, "'name' must not be null");
		Objects.requireNonNull(override, "'override' must not be null");
		synchronized (this.lock) {
			Target target = this.targets.get(name);
			if (target == null) {
				target = create(name, override);
				this.targets.put(name, target);
				for (Consumer<Target> listener : this.creationListeners) {
					listener.accept(target);
				}
			}
			else if (!target.override.equals(override)) {
				throw new IllegalStateException("Target '" + name + "' already exists with override (" + target.override
						+ "), not (" + override + ")");
			}
			return target.compressor;
		}
	}

	private Target create(String name, PolicyPatch override) {
		PolicyVersion global = this.global.current();
		CompressionPolicy policy;
		try {
			policy = this.pipeline.resolve(global.policy(), override);
		}
		catch (PolicyRefusedException ex) {
			throw new IllegalStateException(
					"Invalid policy override of target '" + name + "' (" + override + "): " + ex.getReason(), ex);
		}
		CompressionPolicyHolder holder = new CompressionPolicyHolder(policy, global.source());
		CompressionStats stats = new CompressionStats(this.shared.getStats(), name);
		CompressionBreaker breaker = (this.breakers != null) ? this.breakers.create(name, stats) : null;
		if (breaker != null) {
			holder.addListener(breaker::onPolicyChanged);
		}
		ValueCompressor compressor = ValueCompressor.builder()
			.policies(holder)
			.codecs(this.shared.getCodecs())
			.stats(stats)
			.breaker(breaker)
			.dictionaries(this.shared.getDictionaries())
			.dictionaryTarget((this.dictionaries != null) ? this.dictionaries.target(name) : null)
			.foreignFormats(this.shared.getForeignFormats())
			.build();
		return new Target(name, override, holder, stats, breaker, compressor, global.version());
	}

	private void rederive() {
		synchronized (this.lock) {
			PolicyVersion global = this.global.current();
			if (global.version() <= this.appliedVersion) {
				return;
			}
			this.appliedVersion = global.version();
			for (Target target : this.targets.values()) {
				target.derive(global, this.pipeline);
			}
		}
	}

	/**
	 * Run an action on every target now and on every target created later (targets are
	 * created once, from the configuration, so the set stays bounded).
	 * @param action the action, for example registering a target's meters
	 */
	public void forEachTarget(Consumer<Target> action) {
		synchronized (this.lock) {
			this.creationListeners.add(action);
			this.targets.values().forEach(action);
		}
	}

	/**
	 * Return a view of every target, in creation order.
	 * @return the targets
	 */
	public List<Target> targets() {
		synchronized (this.lock) {
			return Collections.unmodifiableList(new ArrayList<>(this.targets.values()));
		}
	}

	/**
	 * Return one target.
	 * @param name its name
	 * @return the target, or {@code null} if none has that name
	 */
	public @Nullable Target target(String name) {
		synchronized (this.lock) {
			return this.targets.get(name);
		}
	}

	/**
	 * Creates the breaker of a target.
	 */
	@FunctionalInterface
	public interface BreakerFactory {

		/**
		 * Create the breaker of a target.
		 * @param target the target's name
		 * @param stats the target's statistics, where the breaker reports its status and
		 * trips
		 * @return the breaker, or {@code null} for none
		 */
		@Nullable CompressionBreaker create(String target, CompressionStats stats);

	}

	/**
	 * One target: its policy, breaker, statistics and compressor.
	 */
	public static final class Target {

		private final String name;

		private final PolicyPatch override;

		private final CompressionPolicyHolder policies;

		private final CompressionStats stats;

		private final @Nullable CompressionBreaker breaker;

		private final ValueCompressor compressor;

		private volatile long derivedFrom;

		Target(String name, PolicyPatch override, CompressionPolicyHolder policies, CompressionStats stats,
				@Nullable CompressionBreaker breaker, ValueCompressor compressor, long derivedFrom) {
			this.name = name;
			this.override = override;
			this.policies = policies;
			this.stats = stats;
			this.breaker = breaker;
			this.compressor = compressor;
			this.derivedFrom = derivedFrom;
		}

		void derive(PolicyVersion global, PolicyPipeline pipeline) {
			try {
				this.policies.update(pipeline.resolve(global.policy(), this.override), global.source());
				this.derivedFrom = global.version();
			}
			catch (PolicyRefusedException ex) {
				PolicyVersion kept = this.policies.current();
				String reason = "global policy version " + global.version() + " with the override of target '"
						+ this.name + "' (" + this.override + "): " + ex.getReason();
				logger.warn("Target '" + this.name + "' keeps its policy version " + kept.version() + " ("
						+ kept.policy() + "); refused " + reason);
				this.policies.refuse(global.source(), reason);
			}
		}

		public String name() {
			return this.name;
		}

		/**
		 * Return the fields of this target's policy that differ from the global policy.
		 * @return the override, empty for none
		 */
		public PolicyPatch override() {
			return this.override;
		}

		/**
		 * Return this target's policy holder: its version, history and refusals.
		 * @return the holder
		 */
		public CompressionPolicyHolder policies() {
			return this.policies;
		}

		/**
		 * Return the version of the global policy this target's policy was last derived
		 * from.
		 * @return the global version
		 */
		public long derivedFrom() {
			return this.derivedFrom;
		}

		public CompressionStats stats() {
			return this.stats;
		}

		public @Nullable CompressionBreaker breaker() {
			return this.breaker;
		}

		/**
		 * Return the breaker's status.
		 * @return the status, {@link BreakerStatus#DISABLED} without a breaker
		 */
		public BreakerStatus breakerStatus() {
			return (this.breaker != null) ? this.breaker.status() : BreakerStatus.DISABLED;
		}

		public @Nullable RefusedChange lastRefused() {
			return this.policies.lastRefused();
		}

		public ValueCompressor compressor() {
			return this.compressor;
		}

	}

}
