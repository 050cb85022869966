package io.github.compressredis.core.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * When the {@link CompressionBreaker} trips, what it degrades to and for how long.
 * Immutable; the builder refuses invalid values with a message naming the setting.
 *
 * @author compress-redis contributors
 */
public final class BreakerSettings {

	/**
	 * Default latency budget: 10 ms of wall time per compression. On the shared corpus
	 * (values up to 3.5 MB) the default policy, zstd 3, has a p99 of about 1 ms, so only
	 * a sustained anomaly (a codec that blocks, a starved process) keeps a share of calls
	 * over it.
	 */
	public static final Duration DEFAULT_LATENCY_BUDGET = Duration.ofMillis(10);

	/**
	 * Default latency budget per MiB of value, on top of {@link #DEFAULT_LATENCY_BUDGET}:
	 * 50 ms, so a 1 MiB value may take 60 ms. zstd 3 compresses a MiB of JSON in about 2
	 * ms of CPU; the allowance keeps a large value waiting for a CPU on a busy host from
	 * counting as slow, and a codec that blocks still shows on the small and mid-sized
	 * values.
	 */
	public static final Duration DEFAULT_LATENCY_BUDGET_PER_MB = Duration.ofMillis(50);

	/**
	 * Default cost budget: a sampled compression may cost 10 times the CPU time of its
	 * algorithm's fastest level on the same value. zstd 3 costs about 1.2 times zstd 1,
	 * zstd 9 about 7, gzip 9 up to 7 times gzip 1; zstd 12 costs 13 to 25 and zstd 19
	 * over 50 times zstd 1.
	 */
	public static final double DEFAULT_MAX_COST_RATIO = 10.0;

	/** Default host CPU load that degrades compression: 0, off. */
	public static final double DEFAULT_HOST_CPU_THRESHOLD = 0.0;

	/**
	 * Default share of the window's calls (or cost samples) over budget that trips the
	 * breaker.
	 */
	public static final double DEFAULT_SLOW_CALL_RATE = 0.5;

	/** Default sliding window over which latency, cost and failures are judged. */
	public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

	/**
	 * Default number of compressions the window must hold before their wall time or a
	 * failure rate is judged: 20, one second of a target written 20 times a second.
	 */
	public static final int DEFAULT_MINIMUM_CALLS = 20;

	/**
	 * Default number of cost samples the window must hold before their cost is judged:
	 * 10. A cost sample is not inflated by a busy host, so ten are evidence, and a level
	 * slow enough to take half a second a value still shows within one window. With 5, a
	 * JVM's first second of writes once tripped on 3 of 6 warming-up samples.
	 */
	public static final int DEFAULT_MINIMUM_SAMPLES = 10;

	/** Default number of consecutive failures that trip the breaker. */
	public static final int DEFAULT_FAILURE_THRESHOLD = 5;

	/** Default share of failed compressions in the window that trips the breaker. */
	public static final double DEFAULT_FAILURE_RATE = 0.5;

	/**
	 * Default time the breaker stays degraded or open before it probes the policy again.
	 */
	public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(30);

	/** Default number of consecutive probes within budget that close the breaker. */
	public static final int DEFAULT_PROBES = 5;

	private static final BreakerSettings DEFAULTS = builder().build();

	private final Duration latencyBudget;

	private final Duration latencyBudgetPerMb;

	private final double maxCostRatio;

	private final double slowCallRate;

	private final double hostCpuThreshold;

	private final Duration window;

	private final int minimumCalls;

	private final int minimumSamples;

	private final int failureThreshold;

	private final double failureRate;

	private final Duration coolDown;

	private final int probes;

	private final Fallback fallback;

	private BreakerSettings(Builder builder) {
		this.latencyBudget = builder.latencyBudget;
		this.latencyBudgetPerMb = builder.latencyBudgetPerMb;
		this.maxCostRatio = builder.maxCostRatio;
		this.slowCallRate = builder.slowCallRate;
		this.hostCpuThreshold = builder.hostCpuThreshold;
		this.window = builder.window;
		this.minimumCalls = builder.minimumCalls;
		this.minimumSamples = builder.minimumSamples;
		this.failureThreshold = builder.failureThreshold;
		this.failureRate = builder.failureRate;
		this.coolDown = builder.coolDown;
		this.probes = builder.probes;
		this.fallback = builder.fallback;
	}

	public static BreakerSettings defaults() {
		return DEFAULTS;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Wall time over which a compression counts as slow, plus
	 * {@link #latencyBudgetPerMb()}.
	 * @return the latency budget
	 */
	public Duration latencyBudget() {
		return this.latencyBudget;
	}

	/**
	 * Wall time a compression may take on top of {@link #latencyBudget()} per MiB of
	 * value.
	 * @return the latency budget per MiB
	 */
	public Duration latencyBudgetPerMb() {
		return this.latencyBudgetPerMb;
	}

	/**
	 * CPU time a sampled compression may cost, as a multiple of its algorithm's fastest
	 * level on the same value; above it the sample counts as slow.
	 * @return the maximum cost ratio
	 */
	public double maxCostRatio() {
		return this.maxCostRatio;
	}

	/**
	 * Share of the window's compressions (or cost samples) over budget that trips the
	 * breaker.
	 * @return the slow call rate
	 */
	public double slowCallRate() {
		return this.slowCallRate;
	}

	/**
	 * Host CPU load (0 to 1) that, held over a whole window, degrades compression to a
	 * faster level (never plain); 0 turns it off.
	 * @return the host CPU threshold
	 */
	public double hostCpuThreshold() {
		return this.hostCpuThreshold;
	}

	/**
	 * Sliding window over which latency, cost and the failure rate are judged.
	 * @return the window
	 */
	public Duration window() {
		return this.window;
	}

	/**
	 * Compressions the window must hold before their wall time or the failure rate is
	 * judged.
	 * @return the minimum number of calls
	 */
	public int minimumCalls() {
		return this.minimumCalls;
	}

	/**
	 * Cost samples the window must hold before their cost is judged.
	 * @return the minimum number of cost samples
	 */
	public int minimumSamples() {
		return this.minimumSamples;
	}

	/**
	 * Consecutive failures that trip the breaker.
	 * @return the number of consecutive failures
	 */
	public int failureThreshold() {
		return this.failureThreshold;
	}

	/**
	 * Share of failed compressions in the window that trips the breaker.
	 * @return the failure rate
	 */
	public double failureRate() {
		return this.failureRate;
	}

	/**
	 * Time the breaker stays degraded or open before it probes the policy again.
	 * @return the cool-down
	 */
	public Duration coolDown() {
		return this.coolDown;
	}

	/**
	 * Consecutive probes within budget that close the breaker again.
	 * @return the number of probes
	 */
	public int probes() {
		return this.probes;
	}

	/**
	 * What slow compression degrades to; failing compression always degrades to plain.
	 * @return the fallback for slow compression
	 */
	public Fallback fallback() {
		return this.fallback;
	}

	@Override
	public String toString() {
		return "latency-budget=" + this.latencyBudget + ", latency-budget-per-mb=" + this.latencyBudgetPerMb
				+ ", max-cost-ratio=" + this.maxCostRatio + ", slow-call-rate=" + this.slowCallRate
				+ ", host-cpu-threshold=" + this.hostCpuThreshold + ", window=" + this.window + ", minimum-calls="
				+ this.minimumCalls + ", minimum-samples=" + this.minimumSamples + ", failure-threshold="
				+ this.failureThreshold + ", failure-rate=" + this.failureRate + ", cool-down=" + this.coolDown
				+ ", probes=" + this.probes + ", fallback=" + this.fallback;
	}

	/**
	 * What slow compression degrades to.
	 */
	public enum Fallback {

		/**
		 * A faster level of the same algorithm (zstd 1, then -1 if that stays slow; lz4
		 * HC to lz4 fast; gzip and deflate 1). Never plain: an algorithm without a faster
		 * level keeps its level.
		 */
		FASTER_LEVEL,

		/**
		 * Plain, without trying to compress: memory is given away to keep writes fast.
		 */
		PLAIN

	}

	/**
	 * Builds {@link BreakerSettings}.
	 */
	public static final class Builder {

		private Duration latencyBudget = DEFAULT_LATENCY_BUDGET;

		private Duration latencyBudgetPerMb = DEFAULT_LATENCY_BUDGET_PER_MB;

		private double maxCostRatio = DEFAULT_MAX_COST_RATIO;

		private double slowCallRate = DEFAULT_SLOW_CALL_RATE;

		private double hostCpuThreshold = DEFAULT_HOST_CPU_THRESHOLD;

		private Duration window = DEFAULT_WINDOW;

		private int minimumCalls = DEFAULT_MINIMUM_CALLS;

		private int minimumSamples = DEFAULT_MINIMUM_SAMPLES;

		private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;

		private double failureRate = DEFAULT_FAILURE_RATE;

		private Duration coolDown = DEFAULT_COOL_DOWN;

		private int probes = DEFAULT_PROBES;

		private Fallback fallback = Fallback.FASTER_LEVEL;

		private Builder() {
		}

		public Builder latencyBudget(Duration latencyBudget) {
			this.latencyBudget = positive(latencyBudget, "latency-budget");
			return this;
		}

		public Builder latencyBudgetPerMb(Duration latencyBudgetPerMb) {
			Objects.requireNonNull(latencyBudgetPerMb, "'latency-budget-per-mb' must not be null");
			if (latencyBudgetPerMb.isNegative()) {
				throw new IllegalArgumentException(
						"'latency-budget-per-mb' must not be negative, was " + latencyBudgetPerMb);
			}
			this.latencyBudgetPerMb = latencyBudgetPerMb;
			return this;
		}

		public Builder maxCostRatio(double maxCostRatio) {
			if (!(maxCostRatio >= 1.0 && maxCostRatio < Double.POSITIVE_INFINITY)) {
				throw new IllegalArgumentException(
						"'max-cost-ratio' must be at least 1 (for example 10), was " + maxCostRatio);
			}
			this.maxCostRatio = maxCostRatio;
			return this;
		}

		public Builder slowCallRate(double slowCallRate) {
			if (!(slowCallRate > 0.0 && slowCallRate <= 1.0)) {
				throw new IllegalArgumentException(
						"'slow-call-rate' must be above 0 and at most 1 (for example 0.5), was " + slowCallRate);
			}
			this.slowCallRate = slowCallRate;
			return this;
		}

		public Builder hostCpuThreshold(double hostCpuThreshold) {
			if (!(hostCpuThreshold >= 0.0 && hostCpuThreshold <= 1.0)) {
				throw new IllegalArgumentException(
						"'host-cpu-threshold' must be between 0 (off) and 1 (for example 0.9), was "
								+ hostCpuThreshold);
			}
			this.hostCpuThreshold = hostCpuThreshold;
			return this;
		}

		public Builder window(Duration window) {
			this.window = positive(window, "window");
			if (window.toNanos() < CompressionBreaker.BUCKETS) {
				throw new IllegalArgumentException(
						"'window' must be at least " + CompressionBreaker.BUCKETS + " ns, was " + window);
			}
			return this;
		}

		public Builder minimumCalls(int minimumCalls) {
			if (minimumCalls < 1) {
				throw new IllegalArgumentException("'minimum-calls' must be at least 1, was " + minimumCalls);
			}
			this.minimumCalls = minimumCalls;
			return this;
		}

		public Builder minimumSamples(int minimumSamples) {
			if (minimumSamples < 1) {
				throw new IllegalArgumentException("'minimum-samples' must be at least 1, was " + minimumSamples);
			}
			this.minimumSamples = minimumSamples;
			return this;
		}

		public Builder failureThreshold(int failureThreshold) {
			if (failureThreshold < 1) {
				throw new IllegalArgumentException("'failure-threshold' must be at least 1, was " + failureThreshold);
			}
			this.failureThreshold = failureThreshold;
			return this;
		}

		public Builder failureRate(double failureRate) {
			if (!(failureRate > 0.0 && failureRate <= 1.0)) {
				throw new IllegalArgumentException(
						"'failure-rate' must be above 0 and at most 1 (for example 0.5), was " + failureRate);
			}
			this.failureRate = failureRate;
			return this;
		}

		public Builder coolDown(Duration coolDown) {
			this.coolDown = positive(coolDown, "cool-down");
			return this;
		}

		public Builder probes(int probes) {
			if (probes < 1) {
				throw new IllegalArgumentException("'probes' must be at least 1, was " + probes);
			}
			this.probes = probes;
			return this;
		}

		public Builder fallback(Fallback fallback) {
			this.fallback = Objects.requireNonNull(fallback, "'fallback' must not be null");
			return this;
		}

		public BreakerSettings build() {
			return new BreakerSettings(this);
		}

		private static Duration positive(Duration duration, String name) {
			Objects.requireNonNull(duration, () -> "'" + name + "' must not be null");
			if (duration.isNegative() || duration.isZero()) {
				throw new IllegalArgumentException("'" + name + "' must be positive, was " + duration);
			}
			return duration;
		}

	}

}
