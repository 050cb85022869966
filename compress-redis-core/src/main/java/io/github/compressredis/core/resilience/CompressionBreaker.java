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
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.codec.Codec;
import io.github.compressredis.core.internal.resilience.Admission;
import io.github.compressredis.core.internal.resilience.Ticker;
import io.github.compressredis.core.policy.PolicyVersion;
import io.github.compressredis.core.stats.BreakerState;
import io.github.compressredis.core.stats.BreakerStatus;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Judges whether compression is slow or failing over a sliding window and degrades writes
 * for a cool-down, then lets single writes probe the policy until enough pass. Readers
 * never notice: every value names its own codec and level does not matter for decoding.
 * <p>
 * Slow means a sustained share ({@code slow-call-rate}, half by default) of the window's
 * compressions over budget, never a few outliers. At most one write per
 * {@code window / 200} (20 a second by default) is sampled: it compresses the value at
 * its algorithm's fastest level, then as the policy says, reading the thread's CPU time
 * around both. Over budget is a sample whose CPU time is over {@code max-cost-ratio}
 * times the fastest level's, or whose wall time, less the time its thread waited for a
 * CPU, is over {@code latency-budget} plus {@code latency-budget-per-mb} per MiB (a codec
 * that blocks). That ratio is what a level costs by itself: a busy neighbour makes a
 * thread wait for a CPU without adding to its CPU time, and a slow level cannot hide in
 * it because it is measured against the fastest level, not against its own past. Where
 * the wait for a CPU is not measured (outside Linux), every write's wall time is judged
 * instead. Slow compression degrades to a faster level of the same algorithm, and to a
 * faster one again if that stays slow; only failing compression (or
 * {@code fallback: plain}) stores values plain.
 * <p>
 * Lock-free and safe for any number of platform or virtual threads: a closed breaker
 * costs one volatile read before a write and a few atomic increments after it;
 * transitions are compare-and-set. Its status and trips are reported to a
 * {@link CompressionStats}. Use one breaker per target, so that one slow target does not
 * degrade the others.
 *
 * @author compress-redis contributors
 */
public final class CompressionBreaker implements AutoCloseable {

	/**
	 * Returned by {@link #fasterLevel} for an algorithm and level that have nothing
	 * faster.
	 */
	public static final int NO_FASTER_LEVEL = Integer.MIN_VALUE;

	/** Time buckets of the sliding window. */
	static final int BUCKETS = 10;

	/** Cost samples per window at most. */
	static final int SAMPLES_PER_WINDOW = 200;

	/**
	 * Returned by {@link #cpuTime()} and passed as a cost when CPU time was not measured.
	 */
	public static final long NOT_MEASURED = -1;

	/**
	 * Passed as the cost of a write chosen as a sample whose thread has no CPU time (a
	 * virtual thread): its wall time is judged as it is.
	 */
	public static final long CPU_UNAVAILABLE = -2;

	private static final long IDLE = Long.MIN_VALUE;

	private static final Log logger = LogFactory.getLog(CompressionBreaker.class);

	private final BreakerSettings settings;

	private final CompressionStats stats;

	private final Ticker ticker;

	private final Clock clock;

	private final long budgetNanos;

	private final long budgetNanosPerMb;

	private final long bucketNanos;

	private final long coolDownNanos;

	private final long sampleIntervalNanos;

	/**
	 * Whether wall time is judged on cost samples, less the time spent waiting for a CPU.
	 */
	private final boolean waitMeasured;

	private final AtomicReference<Phase> phase;

	private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray calls = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray slowCalls = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray failedCalls = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray samples = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray costlySamples = new AtomicLongArray(BUCKETS);

	private final AtomicLong lastSampleAt = new AtomicLong(IDLE);

	private final AtomicLong lastNothingFasterWarning = new AtomicLong(IDLE);

	private final AtomicLongArray loadReadings = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray highLoadReadings = new AtomicLongArray(BUCKETS);

	private final AtomicLong lastLoadAt = new AtomicLong(IDLE);

	private volatile double lastLoad;

	private volatile double lastCostRatio;

	/**
	 * Codecs of its own for reference compressions: on the writers' codecs, switching a
	 * pooled context to the reference level and back makes the next write at the policy's
	 * level rebuild its tables, which cost zstd 3 eight to thirteen times zstd 1 on 1 KB
	 * values.
	 */
	private final CodecRegistry referenceCodecs = new CodecRegistry();

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private final AtomicLong probeStartedAt = new AtomicLong(IDLE);

	private final AtomicInteger passedProbes = new AtomicInteger();

	public CompressionBreaker(BreakerSettings settings, CompressionStats stats) {
		this(settings, stats, Ticker.SYSTEM, Clock.systemUTC());
	}

	/**
	 * Create a breaker with its own ticker, so that tests can move time and inject costs.
	 * @param settings when to trip and for how long
	 * @param stats where to report the status and trips
	 * @param ticker the monotonic time and the thread CPU time
	 */
	public CompressionBreaker(BreakerSettings settings, CompressionStats stats, Ticker ticker) {
		this(settings, stats, ticker, Clock.systemUTC());
	}

	/**
	 * Create a breaker with its own time sources, so that tests can move time.
	 * @param settings when to trip and for how long
	 * @param stats where to report the status and trips
	 * @param ticker the monotonic time used for latency, the window and the cool-down,
	 * and the thread CPU time used for cost samples
	 * @param clock the wall clock used for the "since" of the status
	 */
	public CompressionBreaker(BreakerSettings settings, CompressionStats stats, Ticker ticker, Clock clock) {
		this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
		this.stats = Objects.requireNonNull(stats, "'stats' must not be null");
		this.ticker = Objects.requireNonNull(ticker, "'ticker' must not be null");
		this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
		this.budgetNanos = settings.latencyBudget().toNanos();
		this.budgetNanosPerMb = settings.latencyBudgetPerMb().toNanos();
		this.bucketNanos = Math.max(1, settings.window().toNanos() / BUCKETS);
		this.coolDownNanos = settings.coolDown().toNanos();
		this.sampleIntervalNanos = Math.max(1, settings.window().toNanos() / SAMPLES_PER_WINDOW);
		this.waitMeasured = ticker.waitTime() >= 0;
		clearWindow();
		Phase closed = new Phase(BreakerState.CLOSED, Admission.NORMAL, null, 0, 0,
				new BreakerStatus(BreakerState.CLOSED, clock.instant(), null, "following the policy; " + rule()));
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
	 * Return the CPU time of the current thread, to measure a sampled compression with.
	 * @return the CPU time in nanoseconds, or {@link #NOT_MEASURED}
	 */
	public long cpuTime() {
		long cpu = this.ticker.cpuTime();
		return (cpu >= 0) ? cpu : NOT_MEASURED;
	}

	/**
	 * Return the time the current thread has waited for a CPU, to take out of a sampled
	 * compression's wall time.
	 * @return the time in nanoseconds, or {@link #NOT_MEASURED}
	 */
	public long waitTime() {
		long wait = this.ticker.waitTime();
		return (wait >= 0) ? wait : NOT_MEASURED;
	}

	/**
	 * Return the codec that compresses at {@link #referenceLevel} for cost samples: the
	 * breaker's own, so that the writers' pooled contexts stay at the policy's level.
	 * @param algorithm the algorithm
	 * @return the codec
	 * @throws IllegalStateException if the algorithm is not available or the breaker is
	 * closed
	 */
	public Codec referenceCodec(Algorithm algorithm) {
		return this.referenceCodecs.codec(algorithm);
	}

	/**
	 * Release the native memory of the reference codecs; cost samples stop.
	 */
	@Override
	public void close() {
		this.referenceCodecs.close();
	}

	/**
	 * Return what the breaker is doing now.
	 * @return the status
	 */
	public BreakerStatus status() {
		return this.phase.get().status;
	}

	/**
	 * Return why the breaker last tripped, for counting the fallback of a write it
	 * degraded.
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
		// one probe at a time; a probe that never reported back (an Error thrown past the
		// writer)
		// is given up after a cool-down
		if ((started == IDLE || now - started > this.coolDownNanos)
				&& this.probeStartedAt.compareAndSet(started, now)) {
			return Admission.PROBE;
		}
		return current.fallback;
	}

	/**
	 * Return the level a write compresses at: the policy's, or for
	 * {@link Admission#FASTER_LEVEL} the faster level the breaker degraded to (the
	 * policy's level when its algorithm has none).
	 * @param admission what {@link #admit()} returned for the write
	 * @param algorithm the policy's algorithm
	 * @param level the policy's level
	 * @return the level to compress at
	 */
	public int level(Admission admission, Algorithm algorithm, int level) {
		return (admission != Admission.FASTER_LEVEL) ? level
				: degrade(algorithm, level, Math.max(1, this.phase.get().steps));
	}

	/**
	 * Decide whether to measure what a write's compression costs: every probe, and
	 * otherwise at most one write per {@code window / 200}, when the level is slower than
	 * its algorithm's fastest. A sampled write first compresses the value at
	 * {@link #referenceLevel}, then as the policy says, reading {@link #cpuTime()} around
	 * both (and {@link #waitTime()} around its own), and reports both costs to
	 * {@link #onCompressed}.
	 * @param admission what {@link #admit()} returned for the write
	 * @param algorithm the write's algorithm
	 * @param level the level it compresses at
	 * @param now {@link #now()} before compressing
	 * @return whether to measure it
	 */
	public boolean sampleCost(Admission admission, Algorithm algorithm, int level, long now) {
		if (admission == Admission.PLAIN || !slowerThanReference(algorithm, level)) {
			return false;
		}
		if (admission == Admission.PROBE) {
			return true;
		}
		long last = this.lastSampleAt.get();
		return (last == IDLE || now - last >= this.sampleIntervalNanos) && this.lastSampleAt.compareAndSet(last, now);
	}

	/**
	 * Report a compression that completed (whether or not it saved enough).
	 * @param admission what {@link #admit()} returned for it
	 * @param algorithm its algorithm
	 * @param level the level it compressed at
	 * @param bytes the length of the value
	 * @param start {@link #now()} before compressing, moved later by the time a sampled
	 * compression waited for a CPU ({@link #waitTime()})
	 * @param end {@link #now()} after compressing
	 * @param cost the thread CPU time it took if it was sampled, else
	 * {@link #NOT_MEASURED}
	 * @param referenceCost the thread CPU time compressing the same value at
	 * {@link #referenceLevel} took if it was sampled, else {@link #NOT_MEASURED}
	 */
	public void onCompressed(Admission admission, Algorithm algorithm, int level, int bytes, long start, long end,
			long cost, long referenceCost) {
		long nanos = end - start;
		boolean sampled = cost >= 0 && referenceCost >= 0;
		// where the wait for a CPU is measured, only samples have their wall time judged:
		// without it,
		// a busy host would make every write look slow
		boolean timed = sampled || !this.waitMeasured || cost == CPU_UNAVAILABLE;
		boolean slow = timed && nanos > budget(bytes);
		double ratio = sampled ? (double) cost / Math.max(1, referenceCost) : 0;
		boolean costly = sampled && ratio > this.settings.maxCostRatio();
		switch (admission) {
			case NORMAL, FASTER_LEVEL -> {
				Phase current = this.phase.get();
				if (current.state != expectedState(admission)) {
					return;
				}
				if (this.consecutiveFailures.get() != 0) {
					this.consecutiveFailures.set(0);
				}
				if (costly) {
					this.lastCostRatio = ratio;
				}
				long epoch = record(end, slow, false, sampled || (timed && this.waitMeasured), costly);
				if (slow || costly) {
					judgeSlowness(current, algorithm, level, epoch, end);
				}
				else if (this.settings.hostCpuThreshold() > 0 && admission == Admission.NORMAL) {
					judgeHostLoad(current, algorithm, level, end);
				}
			}
			case PROBE -> {
				try {
					Phase current = this.phase.get();
					if (current.state != BreakerState.HALF_OPEN) {
						return;
					}
					if (costly) {
						slow(current, algorithm, level, end, "a probe of the policy cost " + ratio(ratio)
								+ " the CPU time of " + describe(algorithm, referenceLevel(algorithm))
								+ " on the same value, over the " + ratio(this.settings.maxCostRatio()) + " budget");
					}
					else if (slow) {
						slow(current, algorithm, level, end,
								"a probe of the policy took " + format(Duration.ofNanos(nanos)) + ", over the "
										+ format(Duration.ofNanos(budget(bytes))) + " budget for " + bytes + " bytes");
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
				long epoch = record(end, false, true, false, false);
				int consecutive = this.consecutiveFailures.incrementAndGet();
				if (consecutive >= this.settings.failureThreshold()) {
					trip(current, FallbackReason.FAILING, BreakerState.OPEN, 0, end,
							consecutive + " compressions in a row failed, the last with " + describe(failure));
					return;
				}
				long[] totals = totals(epoch);
				if (totals[0] >= this.settings.minimumCalls()
						&& totals[2] >= Math.ceil(totals[0] * this.settings.failureRate())) {
					trip(current, FallbackReason.FAILING, BreakerState.OPEN, 0, end, totals[2] + " of " + totals[0]
							+ " compressions in the last " + format(this.settings.window()) + " failed (limit "
							+ Math.round(this.settings.failureRate() * 100) + "%), the last with " + describe(failure));
				}
			}
			case PROBE -> {
				try {
					Phase current = this.phase.get();
					if (current.state == BreakerState.HALF_OPEN) {
						trip(current, FallbackReason.FAILING, BreakerState.OPEN, 0, end,
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
	 * Return the level cost samples are compared with: the algorithm's fastest regular
	 * level (zstd 1, lz4 fast, gzip and deflate 1).
	 * @param algorithm the algorithm
	 * @return the level, or {@link #NO_FASTER_LEVEL} for an algorithm without levels
	 */
	public static int referenceLevel(Algorithm algorithm) {
		return switch (algorithm) {
			case ZSTD, GZIP, DEFLATE -> 1;
			case LZ4 -> 0;
			case NONE, SNAPPY -> NO_FASTER_LEVEL;
		};
	}

	/**
	 * Return whether a level may cost more than its algorithm's {@link #referenceLevel},
	 * so that sampling it can tell something.
	 * @param algorithm the algorithm
	 * @param level the level to sample
	 * @return whether the level is slower than the reference level
	 */
	static boolean slowerThanReference(Algorithm algorithm, int level) {
		return switch (algorithm) {
			case ZSTD -> level > 1 || level == 0;
			case LZ4 -> level > 0;
			case GZIP, DEFLATE -> level > 1;
			case NONE, SNAPPY -> false;
		};
	}

	/**
	 * Return a faster level of the same algorithm: zstd 1 for levels above 1 (and for 0,
	 * zstd's default), zstd -1 for 1; lz4 fast (0) for lz4 HC; gzip and deflate 1 for
	 * levels above 1.
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

	/**
	 * Compressions whose wall time was judged: the samples where the wait for a CPU is
	 * measured.
	 * @param totals the window's totals, see {@link #totals(long)}
	 * @return the number of timed compressions
	 */
	private long timed(long[] totals) {
		return this.waitMeasured ? totals[3] : totals[0];
	}

	private int minimumTimed() {
		return this.waitMeasured ? this.settings.minimumSamples() : this.settings.minimumCalls();
	}

	/**
	 * The wall time a compression of {@code bytes} may take.
	 * @param bytes the original size of the value
	 * @return the budget in nanoseconds
	 */
	private long budget(int bytes) {
		return this.budgetNanos + (long) (this.budgetNanosPerMb * (bytes / 1048576.0));
	}

	private static int degrade(Algorithm algorithm, int level, int steps) {
		int result = level;
		for (int i = 0; i < steps; i++) {
			int faster = fasterLevel(algorithm, result);
			if (faster == NO_FASTER_LEVEL) {
				break;
			}
			result = faster;
		}
		return result;
	}

	/**
	 * Trip when a sustained share of the window is over budget: of the cost samples
	 * (judged first, as a busy host does not inflate them), or of all compressions by
	 * wall time.
	 * @param current the breaker's phase
	 * @param algorithm the algorithm of the write just recorded
	 * @param level the level of the write just recorded
	 * @param epoch the bucket of the write just recorded
	 * @param now the current time in nanoseconds
	 */
	private void judgeSlowness(Phase current, Algorithm algorithm, int level, long epoch, long now) {
		long[] totals = totals(epoch);
		double rate = this.settings.slowCallRate();
		String window = format(this.settings.window());
		if (totals[3] >= this.settings.minimumSamples() && totals[4] >= Math.ceil(totals[3] * rate)) {
			slow(current, algorithm, level, now,
					totals[4] + " of " + totals[3] + " sampled compressions in the last " + window + " cost over "
							+ ratio(this.settings.maxCostRatio()) + " the CPU time of "
							+ describe(algorithm, referenceLevel(algorithm)) + " on the same value (the last "
							+ ratio(this.lastCostRatio) + ")");
		}
		else if (timed(totals) >= minimumTimed() && totals[1] >= Math.ceil(timed(totals) * rate)) {
			slow(current, algorithm, level, now,
					totals[1] + " of " + timed(totals)
							+ (this.waitMeasured
									? " sampled compressions in the last " + window + ", less their wait for a CPU,"
									: " compressions in the last " + window)
							+ " took longer than " + format(this.settings.latencyBudget()) + " plus "
							+ format(this.settings.latencyBudgetPerMb()) + " per MiB");
		}
	}

	/**
	 * Read the host's CPU load once per bucket; degrade to a faster level when every
	 * reading of the window (at least half of its buckets) is at or over the threshold.
	 * @param current the breaker's phase
	 * @param algorithm the algorithm of the write just recorded
	 * @param level the level of the write just recorded
	 * @param now the current time in nanoseconds
	 */
	private void judgeHostLoad(Phase current, Algorithm algorithm, int level, long now) {
		long last = this.lastLoadAt.get();
		if ((last != IDLE && now - last < this.bucketNanos) || !this.lastLoadAt.compareAndSet(last, now)) {
			return;
		}
		double load = this.ticker.hostCpuLoad();
		if (load < 0) {
			return;
		}
		this.lastLoad = load;
		// the write just recorded made sure this bucket is current
		long epoch = Math.floorDiv(now, this.bucketNanos);
		int index = (int) Math.floorMod(epoch, (long) BUCKETS);
		this.loadReadings.incrementAndGet(index);
		if (load >= this.settings.hostCpuThreshold()) {
			this.highLoadReadings.incrementAndGet(index);
		}
		long readings = 0;
		long high = 0;
		for (int i = 0; i < BUCKETS; i++) {
			long bucket = this.epochs.get(i);
			if (bucket != IDLE && bucket <= epoch && bucket > epoch - BUCKETS) {
				readings += this.loadReadings.get(i);
				high += this.highLoadReadings.get(i);
			}
		}
		if (readings >= BUCKETS / 2 && high == readings && fasterLevel(algorithm, level) != NO_FASTER_LEVEL) {
			trip(current, FallbackReason.SLOW, BreakerState.DEGRADED, 1, now,
					"host CPU load at or over " + Math.round(this.settings.hostCpuThreshold() * 100) + "% in all "
							+ readings + " readings of the last " + format(this.settings.window()) + " (the last "
							+ Math.round(this.lastLoad * 100) + "%); compressing at "
							+ describe(algorithm, fasterLevel(algorithm, level)));
		}
	}

	/**
	 * Degrade slow compression: to a faster level than the one that was slow, or plain if
	 * the settings ask for it. With nothing faster there is nothing to gain: the level is
	 * kept.
	 * @param current the breaker's phase
	 * @param algorithm the algorithm that was slow
	 * @param level the level that was slow
	 * @param now the current time in nanoseconds
	 * @param detail why the compression counts as slow, for the log and the status
	 */
	private void slow(Phase current, Algorithm algorithm, int level, long now, String detail) {
		if (this.settings.fallback() == BreakerSettings.Fallback.PLAIN) {
			trip(current, FallbackReason.SLOW, BreakerState.OPEN, 0, now, detail + "; storing plain");
			return;
		}
		if (fasterLevel(algorithm, level) == NO_FASTER_LEVEL) {
			if (current.state == BreakerState.HALF_OPEN) {
				probePassed(current, now);
				return;
			}
			clearWindow();
			warnNothingFaster(algorithm, level, now, detail);
			return;
		}
		int steps = switch (current.state) {
			case DEGRADED -> current.steps + 1;
			case HALF_OPEN -> Math.max(1, current.steps);
			default -> 1;
		};
		int faster = (current.state == BreakerState.DEGRADED) ? fasterLevel(algorithm, level)
				: degrade(algorithm, level, steps);
		trip(current, FallbackReason.SLOW, BreakerState.DEGRADED, steps, now,
				detail + "; compressing at " + describe(algorithm, faster));
	}

	private void warnNothingFaster(Algorithm algorithm, int level, long now, String detail) {
		long last = this.lastNothingFasterWarning.get();
		if ((last == IDLE || now - last >= this.coolDownNanos)
				&& this.lastNothingFasterWarning.compareAndSet(last, now)) {
			logger.warn("Compression is slow (" + detail + "), but " + describe(algorithm, level)
					+ " has no faster level: it keeps compressing at it");
		}
	}

	private static String describe(Algorithm algorithm, int level) {
		return algorithm.tag() + " " + level;
	}

	private static String ratio(double ratio) {
		return String.format(Locale.ROOT, "%.1f×", ratio);
	}

	private static BreakerState expectedState(Admission admission) {
		return (admission == Admission.NORMAL) ? BreakerState.CLOSED : BreakerState.DEGRADED;
	}

	private void trip(Phase from, FallbackReason reason, BreakerState target, int steps, long now, String detail) {
		Admission fallback = (target == BreakerState.OPEN) ? Admission.PLAIN : Admission.FASTER_LEVEL;
		String text = detail + ((reason == FallbackReason.FAILING) ? "; storing plain" : "") + " for "
				+ format(this.settings.coolDown());
		Phase tripped = new Phase(target, fallback, reason, now + this.coolDownNanos, steps,
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
	 * Give a new policy its chance at once: a tripped breaker (degraded or open) goes
	 * half-open and probes the new policy instead of waiting out a cool-down earned by
	 * the old one. Closed or already half-open, nothing changes: its next probe follows
	 * the new policy anyway, and a probe in flight keeps its place. A new policy that is
	 * just as slow or failing trips the breaker again on its first probe.
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
		return halfOpen(from, now,
				"cool-down over: probing the policy (0 of " + this.settings.probes() + " probes passed)");
	}

	private Phase halfOpen(Phase from, long now, String detail) {
		Phase half = new Phase(BreakerState.HALF_OPEN, from.fallback, from.reason, now, from.steps,
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
		Phase closed = new Phase(BreakerState.CLOSED, Admission.NORMAL, current.reason, now, 0,
				new BreakerStatus(BreakerState.CLOSED, this.clock.instant(), current.reason,
						passed + " probes within budget: following the policy again; " + rule()));
		if (this.phase.compareAndSet(current, closed)) {
			clearWindow();
			this.consecutiveFailures.set(0);
			this.stats.recordBreakerStatus(closed.status);
			logger.info("Compression breaker closed: " + closed.status.detail());
		}
	}

	/**
	 * Count one call in the bucket of {@code now}.
	 * @param now the time of the call in nanoseconds
	 * @param slow whether the call was over budget
	 * @param failed whether the call failed
	 * @param sampled whether the call's cost or wait was measured
	 * @param costly whether the sampled cost was over the ratio
	 * @return the bucket's epoch
	 */
	private long record(long now, boolean slow, boolean failed, boolean sampled, boolean costly) {
		long epoch = Math.floorDiv(now, this.bucketNanos);
		int index = (int) Math.floorMod(epoch, (long) BUCKETS);
		long seen = this.epochs.get(index);
		if (seen != epoch && this.epochs.compareAndSet(index, seen, epoch)) {
			// the bucket held an older epoch: start it again (a concurrent count may be
			// lost, which
			// a statistical judgement tolerates)
			this.calls.set(index, 0);
			this.slowCalls.set(index, 0);
			this.failedCalls.set(index, 0);
			this.samples.set(index, 0);
			this.costlySamples.set(index, 0);
			this.loadReadings.set(index, 0);
			this.highLoadReadings.set(index, 0);
		}
		this.calls.incrementAndGet(index);
		if (slow) {
			this.slowCalls.incrementAndGet(index);
		}
		if (failed) {
			this.failedCalls.incrementAndGet(index);
		}
		if (sampled) {
			this.samples.incrementAndGet(index);
			if (costly) {
				this.costlySamples.incrementAndGet(index);
			}
		}
		return epoch;
	}

	/**
	 * Sum the buckets of the window ending with {@code epoch}.
	 * @param epoch the bucket that ends the window
	 * @return calls, slow calls, failed calls, cost samples and costly samples
	 */
	private long[] totals(long epoch) {
		long[] totals = new long[5];
		for (int i = 0; i < BUCKETS; i++) {
			long bucket = this.epochs.get(i);
			if (bucket != IDLE && bucket <= epoch && bucket > epoch - BUCKETS) {
				totals[0] += this.calls.get(i);
				totals[1] += this.slowCalls.get(i);
				totals[2] += this.failedCalls.get(i);
				totals[3] += this.samples.get(i);
				totals[4] += this.costlySamples.get(i);
			}
		}
		return totals;
	}

	private void clearWindow() {
		for (int i = 0; i < BUCKETS; i++) {
			this.epochs.set(i, IDLE);
		}
	}

	private String rule() {
		return "slow when " + Math.round(this.settings.slowCallRate() * 100) + "% of the compressions in "
				+ format(this.settings.window()) + " (at least " + this.settings.minimumCalls() + ") take over "
				+ format(this.settings.latencyBudget()) + " plus " + format(this.settings.latencyBudgetPerMb())
				+ " per MiB or, of the cost samples (at least " + this.settings.minimumSamples() + "), cost over "
				+ ratio(this.settings.maxCostRatio()) + " the CPU time of the algorithm's fastest level";
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

		/**
		 * How many times {@link #fasterLevel} is applied to the policy's level while
		 * degraded.
		 */
		final int steps;

		final BreakerStatus status;

		Phase(BreakerState state, Admission fallback, @Nullable FallbackReason reason, long untilNanos, int steps,
				BreakerStatus status) {
			this.state = state;
			this.fallback = fallback;
			this.reason = reason;
			this.untilNanos = untilNanos;
			this.steps = steps;
			this.status = status;
		}

	}

}
