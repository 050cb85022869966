package io.github.compressredis.core.resilience;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.PolicyVersion;
import io.github.compressredis.core.stats.BreakerState;
import io.github.compressredis.core.stats.BreakerStatus;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Watches compression latency and failures over a sliding window and, when the chosen percentile
 * is over budget or compression keeps failing, degrades writes to a faster level or to plain for a
 * cool-down, then lets single writes probe the policy until enough pass. Readers never notice:
 * every value names its own codec and level does not matter for decoding.
 * <p>
 * Lock-free and safe for any number of platform or virtual threads: a closed breaker costs one
 * volatile read before a write and two or three atomic increments after it; transitions are
 * compare-and-set. Its status and trips are reported to a {@link CompressionStats}.
 */
public final class CompressionBreaker {

	/** Returned by {@link #fasterLevel} for an algorithm and level that have nothing faster. */
	public static final int NO_FASTER_LEVEL = Integer.MIN_VALUE;

	/** Time buckets of the sliding window. */
	static final int BUCKETS = 10;

	private static final long IDLE = Long.MIN_VALUE;

	private static final Log logger = LogFactory.getLog(CompressionBreaker.class);

	private final BreakerSettings settings;

	private final CompressionStats stats;

	private final Ticker ticker;

	private final Clock clock;

	private final long budgetNanos;

	private final long bucketNanos;

	private final long coolDownNanos;

	private final AtomicReference<Phase> phase;

	private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray calls = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray slowCalls = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray failedCalls = new AtomicLongArray(BUCKETS);

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AtomicLong probeStartedAt = new AtomicLong(IDLE);

	private final AtomicInteger passedProbes = new AtomicInteger();

	public CompressionBreaker(BreakerSettings settings, CompressionStats stats) {
		this(settings, stats, Ticker.SYSTEM, Clock.systemUTC());
	}

	/**
	 * Create a breaker with its own time sources, so that tests can move time.
	 * @param settings when to trip and for how long
	 * @param stats where to report the status and trips
	 * @param ticker the monotonic time used for latency, the window and the cool-down
	 * @param clock the wall clock used for the "since" of the status
	 */
	public CompressionBreaker(BreakerSettings settings, CompressionStats stats, Ticker ticker, Clock clock) {
		this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
		this.stats = Objects.requireNonNull(stats, "'stats' must not be null");
		this.ticker = Objects.requireNonNull(ticker, "'ticker' must not be null");
		this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
		this.budgetNanos = settings.latencyBudget().toNanos();
		this.bucketNanos = Math.max(1, settings.window().toNanos() / BUCKETS);
		this.coolDownNanos = settings.coolDown().toNanos();
		clearWindow();
		Phase closed = new Phase(BreakerState.CLOSED, Admission.NORMAL, null, 0, new BreakerStatus(BreakerState.CLOSED,
				clock.instant(), null, "following the policy; budget p" + percentile() + " " + format(
						settings.latencyBudget()) + " over " + format(settings.window())));
		this.phase = new AtomicReference<>(closed);
		stats.recordBreakerStatus(closed.status);
	}

	public BreakerSettings getSettings() {
		return this.settings;
	}

	/**
	 * Return the current time of this breaker's ticker; writers time compression with it.
	 * @return the time in nanoseconds
	 */
	public long now() {
		return this.ticker.read();
	}

	/**
	 * Return what the breaker is doing now.
	 * @return the status
	 */
	public BreakerStatus status() {
		return this.phase.get().status;
	}

	/**
	 * Return why the breaker last tripped, for counting the fallback of a write it degraded.
	 * @return the reason, {@link FallbackReason#SLOW} if it never tripped
	 */
	public FallbackReason reason() {
		FallbackReason reason = this.phase.get().reason;
		return (reason != null) ? reason : FallbackReason.SLOW;
	}

	/**
	 * Decide how the next write compresses. A {@link Admission#PROBE} must be followed by
	 * {@link #onCompressed} or {@link #onFailed}.
	 * @return the admission
	 */
	public Admission admit() {
		Phase current = this.phase.get();
		if (current.state == BreakerState.CLOSED) {
			return Admission.NORMAL;
		}
		long now = this.ticker.read();
		if (current.state != BreakerState.HALF_OPEN) {
			if (now - current.untilNanos < 0) {
				return current.fallback;
			}
			current = halfOpen(current, now);
			if (current.state == BreakerState.CLOSED) {
				return Admission.NORMAL;
			}
			if (current.state != BreakerState.HALF_OPEN) {
				return current.fallback;
			}
		}
		long started = this.probeStartedAt.get();
		// one probe at a time; a probe that never reported back (an Error thrown past the writer)
		// is given up after a cool-down
		if ((started == IDLE || now - started > this.coolDownNanos)
				&& this.probeStartedAt.compareAndSet(started, now)) {
			return Admission.PROBE;
		}
		return current.fallback;
	}

	/**
	 * Report a compression that completed (whether or not it saved enough).
	 * @param admission what {@link #admit()} returned for it
	 * @param start {@link #now()} before compressing
	 * @param end {@link #now()} after compressing
	 */
	public void onCompressed(Admission admission, long start, long end) {
		long nanos = end - start;
		boolean slow = nanos > this.budgetNanos;
		switch (admission) {
			case NORMAL, FASTER_LEVEL -> {
				Phase current = this.phase.get();
				if (current.state != expectedState(admission)) {
					return;
				}
				if (this.consecutiveFailures.get() != 0) {
					this.consecutiveFailures.set(0);
				}
				long epoch = record(end, slow, false);
				if (slow) {
					judgeLatency(current, epoch, end);
				}
			}
			case PROBE -> {
				try {
					Phase current = this.phase.get();
					if (current.state != BreakerState.HALF_OPEN) {
						return;
					}
					if (slow) {
						trip(current, FallbackReason.SLOW, slowTarget(current), end,
								"a probe of the policy took " + format(Duration.ofNanos(nanos)) + ", over the "
										+ format(this.settings.latencyBudget()) + " budget");
					}
					else {
						probePassed(current, end);
					}
				}
				finally {
					this.probeStartedAt.set(IDLE);
				}
			}
			case PLAIN -> {
			}
		}
	}

	/**
	 * Report a compression that threw.
	 * @param admission what {@link #admit()} returned for it
	 * @param end {@link #now()} after the failure
	 * @param failure what was thrown
	 */
	public void onFailed(Admission admission, long end, Throwable failure) {
		switch (admission) {
			case NORMAL, FASTER_LEVEL -> {
				Phase current = this.phase.get();
				if (current.state != expectedState(admission)) {
					return;
				}
				long epoch = record(end, false, true);
				int consecutive = this.consecutiveFailures.incrementAndGet();
				if (consecutive >= this.settings.failureThreshold()) {
					trip(current, FallbackReason.FAILING, BreakerState.OPEN, end,
							consecutive + " compressions in a row failed, the last with " + describe(failure));
					return;
				}
				long[] totals = totals(epoch);
				if (totals[0] >= this.settings.minimumCalls()
						&& totals[2] >= Math.ceil(totals[0] * this.settings.failureRate())) {
					trip(current, FallbackReason.FAILING, BreakerState.OPEN, end,
							totals[2] + " of " + totals[0] + " compressions in the last " + format(this.settings.window())
									+ " failed (limit " + Math.round(this.settings.failureRate() * 100)
									+ "%), the last with " + describe(failure));
				}
			}
			case PROBE -> {
				try {
					Phase current = this.phase.get();
					if (current.state == BreakerState.HALF_OPEN) {
						trip(current, FallbackReason.FAILING, BreakerState.OPEN, end,
								"a probe of the policy failed with " + describe(failure));
					}
				}
				finally {
					this.probeStartedAt.set(IDLE);
				}
			}
			case PLAIN -> {
			}
		}
	}

	/**
	 * Return a faster level of the same algorithm: zstd 1 for levels above 1 (and for 0, zstd's
	 * default), zstd -1 for 1; lz4 fast (0) for lz4 HC; gzip and deflate 1 for levels above 1.
	 * @param algorithm the policy's algorithm
	 * @param level the policy's level
	 * @return the faster level, or {@link #NO_FASTER_LEVEL}
	 */
	public static int fasterLevel(Algorithm algorithm, int level) {
		return switch (algorithm) {
			case ZSTD -> (level > 1 || level == 0) ? 1 : (level == 1) ? -1 : NO_FASTER_LEVEL;
			case LZ4 -> (level > 0) ? 0 : NO_FASTER_LEVEL;
			case GZIP, DEFLATE -> (level > 1) ? 1 : NO_FASTER_LEVEL;
			case NONE, SNAPPY -> NO_FASTER_LEVEL;
		};
	}

	private void judgeLatency(Phase current, long epoch, long now) {
		long[] totals = totals(epoch);
		long count = totals[0];
		long slow = totals[1];
		// the percentile is over budget when fewer than its rank of the calls are within budget
		long rank = (long) Math.ceil(this.settings.latencyPercentile() * count);
		if (count >= this.settings.minimumCalls() && count - slow < rank) {
			trip(current, FallbackReason.SLOW, slowTarget(current), now,
					"p" + percentile() + " compression latency over the " + format(this.settings.latencyBudget())
							+ " budget: " + slow + " of " + count + " compressions in the last "
							+ format(this.settings.window()) + " took longer");
		}
	}

	private BreakerState slowTarget(Phase from) {
		if (this.settings.fallback() == BreakerSettings.Fallback.PLAIN || from.state == BreakerState.DEGRADED) {
			// even the faster level is over budget: stop compressing for a while
			return BreakerState.OPEN;
		}
		if (from.state == BreakerState.HALF_OPEN && from.fallback == Admission.PLAIN) {
			return BreakerState.OPEN;
		}
		return BreakerState.DEGRADED;
	}

	private static BreakerState expectedState(Admission admission) {
		return (admission == Admission.NORMAL) ? BreakerState.CLOSED : BreakerState.DEGRADED;
	}

	private void trip(Phase from, FallbackReason reason, BreakerState target, long now, String detail) {
		Admission fallback = (target == BreakerState.OPEN) ? Admission.PLAIN : Admission.FASTER_LEVEL;
		String text = detail + "; " + ((target == BreakerState.OPEN) ? "storing plain" : "using a faster level")
				+ " for " + format(this.settings.coolDown());
		Phase tripped = new Phase(target, fallback, reason, now + this.coolDownNanos,
				new BreakerStatus(target, this.clock.instant(), reason, text));
		if (!this.phase.compareAndSet(from, tripped)) {
			return;
		}
		clearWindow();
		this.consecutiveFailures.set(0);
		this.passedProbes.set(0);
		this.stats.recordBreakerTrip(reason, tripped.status);
		logger.warn("Compression breaker " + target.tag() + " (" + reason.tag() + "): " + text);
	}

	/**
	 * Give a new policy its chance at once: a tripped breaker (degraded or open) goes half-open and
	 * probes the new policy instead of waiting out a cool-down earned by the old one. Closed or
	 * already half-open, nothing changes: its next probe follows the new policy anyway, and a probe
	 * in flight keeps its place. A new policy that is just as slow or failing trips the breaker
	 * again on its first probe.
	 * @param version the policy version now in force
	 */
	public void onPolicyChanged(PolicyVersion version) {
		Phase current = this.phase.get();
		if (current.state != BreakerState.DEGRADED && current.state != BreakerState.OPEN) {
			return;
		}
		Phase half = halfOpen(current, this.ticker.read(), "policy version " + version.version() + " from "
				+ version.source().tag() + ": probing it (0 of " + this.settings.probes() + " probes passed)");
		if (half.state == BreakerState.HALF_OPEN && logger.isInfoEnabled()) {
			logger.info("Compression breaker half-open: " + half.status.detail());
		}
	}

	private Phase halfOpen(Phase from, long now) {
		return halfOpen(from, now, "cool-down over: probing the policy (0 of " + this.settings.probes()
				+ " probes passed)");
	}

	private Phase halfOpen(Phase from, long now, String detail) {
		Phase half = new Phase(BreakerState.HALF_OPEN, from.fallback, from.reason, now,
				new BreakerStatus(BreakerState.HALF_OPEN, this.clock.instant(), from.reason, detail));
		if (this.phase.compareAndSet(from, half)) {
			this.passedProbes.set(0);
			this.probeStartedAt.set(IDLE);
			this.stats.recordBreakerStatus(half.status);
			return half;
		}
		return this.phase.get();
	}

	private void probePassed(Phase current, long now) {
		int passed = this.passedProbes.incrementAndGet();
		if (passed < this.settings.probes()) {
			return;
		}
		Phase closed = new Phase(BreakerState.CLOSED, Admission.NORMAL, current.reason, now,
				new BreakerStatus(BreakerState.CLOSED, this.clock.instant(), current.reason,
						passed + " probes within the " + format(this.settings.latencyBudget())
								+ " budget: following the policy again"));
		if (this.phase.compareAndSet(current, closed)) {
			clearWindow();
			this.consecutiveFailures.set(0);
			this.stats.recordBreakerStatus(closed.status);
			logger.info("Compression breaker closed: " + closed.status.detail());
		}
	}

	/**
	 * Count one call in the bucket of {@code now}.
	 * @return the bucket's epoch
	 */
	private long record(long now, boolean slow, boolean failed) {
		long epoch = Math.floorDiv(now, this.bucketNanos);
		int index = (int) Math.floorMod(epoch, (long) BUCKETS);
		long seen = this.epochs.get(index);
		if (seen != epoch && this.epochs.compareAndSet(index, seen, epoch)) {
			// the bucket held an older epoch: start it again (a concurrent count may be lost, which
			// a statistical judgement tolerates)
			this.calls.set(index, 0);
			this.slowCalls.set(index, 0);
			this.failedCalls.set(index, 0);
		}
		this.calls.incrementAndGet(index);
		if (slow) {
			this.slowCalls.incrementAndGet(index);
		}
		if (failed) {
			this.failedCalls.incrementAndGet(index);
		}
		return epoch;
	}

	/**
	 * Sum the buckets of the window ending with {@code epoch}.
	 * @return calls, slow calls and failed calls
	 */
	private long[] totals(long epoch) {
		long[] totals = new long[3];
		for (int i = 0; i < BUCKETS; i++) {
			long bucket = this.epochs.get(i);
			if (bucket != IDLE && bucket <= epoch && bucket > epoch - BUCKETS) {
				totals[0] += this.calls.get(i);
				totals[1] += this.slowCalls.get(i);
				totals[2] += this.failedCalls.get(i);
			}
		}
		return totals;
	}

	private void clearWindow() {
		for (int i = 0; i < BUCKETS; i++) {
			this.epochs.set(i, IDLE);
		}
	}

	private String percentile() {
		double percent = this.settings.latencyPercentile() * 100;
		return (percent == Math.rint(percent)) ? Long.toString((long) percent)
				: String.format(Locale.ROOT, "%s", percent);
	}

	private static String describe(Throwable failure) {
		String text = failure.toString();
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

	static String format(Duration duration) {
		long nanos = duration.toNanos();
		if (nanos % 1_000_000_000L == 0) {
			return (nanos / 1_000_000_000L) + " s";
		}
		if (nanos >= 1_000_000_000L) {
			return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
		}
		if (nanos % 1_000_000L == 0) {
			return (nanos / 1_000_000L) + " ms";
		}
		if (nanos >= 1_000_000L) {
			return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
		}
		return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
	}

	/**
	 * The state in force, immutable and swapped by compare-and-set.
	 */
	private static final class Phase {

		final BreakerState state;

		/** How writes that are not probes compress in this state. */
		final Admission fallback;

		final @Nullable FallbackReason reason;

		/** When a degraded or open state ends its cool-down. */
		final long untilNanos;

		final BreakerStatus status;

		Phase(BreakerState state, Admission fallback, @Nullable FallbackReason reason, long untilNanos,
				BreakerStatus status) {
			this.state = state;
			this.fallback = fallback;
			this.reason = reason;
			this.untilNanos = untilNanos;
			this.status = status;
		}

	}

}
