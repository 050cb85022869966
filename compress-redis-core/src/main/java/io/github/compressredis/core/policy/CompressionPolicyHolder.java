package io.github.compressredis.core.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Holds the policy in force and swaps it atomically. A writer reads the policy once per
 * value, so a swap in the middle of traffic affects only values written after it; every
 * value carries its own codec in its header, so readers never depend on the policy in
 * force.
 *
 * @author compress-redis contributors
 */
public final class CompressionPolicyHolder {

	/** How many past versions {@link #history()} keeps. */
	public static final int HISTORY_SIZE = 20;

	private final AtomicReference<PolicyVersion> current;

	private final Clock clock;

	private final Object historyLock = new Object();

	private volatile List<PolicyVersion> history;

	private volatile @Nullable RefusedChange lastRefused;

	private final AtomicLong refusedCount = new AtomicLong();

	private final List<Consumer<PolicyVersion>> listeners = new CopyOnWriteArrayList<>();

	public CompressionPolicyHolder(CompressionPolicy initial) {
		this(initial, PolicySource.DEFAULTS, Clock.systemUTC());
	}

	public CompressionPolicyHolder(CompressionPolicy initial, PolicySource source) {
		this(initial, source, Clock.systemUTC());
	}

	public CompressionPolicyHolder(CompressionPolicy initial, PolicySource source, Clock clock) {
		Objects.requireNonNull(initial, "'initial' must not be null");
		Objects.requireNonNull(source, "'source' must not be null");
		this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
		// the first policy has nothing to roll out from: it applies to every write
		CompressionPolicy full = (initial.rolloutPercent() < 100) ? initial.toBuilder().rolloutPercent(100).build()
				: initial;
		PolicyVersion first = new PolicyVersion(full, 1, source, clock.instant(), full.describeChangesFrom(null), null);
		this.current = new AtomicReference<>(first);
		this.history = List.of(first);
	}

	/**
	 * Return the version in force.
	 * @return the current version
	 */
	public PolicyVersion current() {
		return this.current.get();
	}

	/**
	 * Return the policy in force.
	 * @return the current policy
	 */
	public CompressionPolicy policy() {
		return this.current.get().policy();
	}

	/**
	 * Return the policy a write should use now: during a gradual rollout, the new policy
	 * for {@code rollout-percent} of the calls and the baseline for the others. Read once
	 * per value written.
	 * @return the policy for the next write
	 */
	public CompressionPolicy policyForWrite() {
		PolicyVersion version = this.current.get();
		CompressionPolicy baseline = version.baseline();
		if (baseline == null || ThreadLocalRandom.current().nextInt(100) < version.policy().rolloutPercent()) {
			return version.policy();
		}
		return baseline;
	}

	/**
	 * Put a new policy in force. A policy equal to the current one is not a change and
	 * returns the current version.
	 * @param policy the new policy
	 * @param source where it came from
	 * @return the version in force afterwards
	 */
	public PolicyVersion update(CompressionPolicy policy, PolicySource source) {
		Objects.requireNonNull(policy, "'policy' must not be null");
		Objects.requireNonNull(source, "'source' must not be null");
		PolicyVersion next;
		synchronized (this.historyLock) {
			PolicyVersion previous = this.current.get();
			if (previous.policy().equals(policy)) {
				return previous;
			}
			// a partial rollout keeps the last fully rolled-out policy for the other
			// writes; the first
			// policy, with nothing to roll out from, applies to every write
			CompressionPolicy baseline = (policy.rolloutPercent() < 100) ? previous.fullyRolledOut() : null;
			next = new PolicyVersion(policy, previous.version() + 1, source, this.clock.instant(),
					policy.describeChangesFrom(previous.policy()), baseline);
			this.current.set(next);
			List<PolicyVersion> updated = new ArrayList<>(this.history);
			updated.add(next);
			if (updated.size() > HISTORY_SIZE) {
				updated.remove(0);
			}
			this.history = Collections.unmodifiableList(updated);
		}
		for (Consumer<PolicyVersion> listener : this.listeners) {
			listener.accept(next);
		}
		return next;
	}

	/**
	 * Record a change that was refused; the policy in force stays.
	 * @param source where the change came from
	 * @param reason what was wrong with it
	 * @return the record of the refusal
	 */
	public RefusedChange refuse(PolicySource source, String reason) {
		RefusedChange refused = new RefusedChange(source, this.clock.instant(), reason);
		this.lastRefused = refused;
		this.refusedCount.incrementAndGet();
		return refused;
	}

	/**
	 * Return how many changes were refused since start.
	 * @return the count
	 */
	public long refusedCount() {
		return this.refusedCount.get();
	}

	/**
	 * Return the last versions, oldest first, at most {@link #HISTORY_SIZE}.
	 * @return the history
	 */
	public List<PolicyVersion> history() {
		return this.history;
	}

	/**
	 * Return the last refused change.
	 * @return the refusal, or {@code null} if none was refused
	 */
	public @Nullable RefusedChange lastRefused() {
		return this.lastRefused;
	}

	/**
	 * Register a callback invoked after every accepted change.
	 * @param listener the callback
	 */
	public void addListener(Consumer<PolicyVersion> listener) {
		this.listeners.add(Objects.requireNonNull(listener, "'listener' must not be null"));
	}

}
