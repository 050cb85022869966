package io.github.compressredis.core.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * When the {@link CompressionBreaker} trips, what it degrades to and for how long. Immutable; the
 * builder refuses invalid values with a message naming the setting.
 */
public final class BreakerSettings {

	/**
	 * Default latency budget: 10 ms for the chosen percentile. On the shared corpus (values up to
	 * 3.5 MB) the default policy, zstd 3, has a p99 of about 1 ms, so the breaker only trips on an
	 * order-of-magnitude anomaly (CPU starvation, a pathological level, huge values), and 10 ms is
	 * already many Redis round trips.
	 */
	public static final Duration DEFAULT_LATENCY_BUDGET = Duration.ofMillis(10);

	/** Default percentile judged against the budget. */
	public static final double DEFAULT_LATENCY_PERCENTILE = 0.99;

	/** Default sliding window over which latency and failures are judged. */
	public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

	/** Default number of compressions the window must hold before latency or a failure rate is judged. */
	public static final int DEFAULT_MINIMUM_CALLS = 100;

	/** Default number of consecutive failures that trip the breaker. */
	public static final int DEFAULT_FAILURE_THRESHOLD = 5;

	/** Default share of failed compressions in the window that trips the breaker. */
	public static final double DEFAULT_FAILURE_RATE = 0.5;

	/** Default time the breaker stays degraded or open before it probes the policy again. */
	public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(30);

	/** Default number of consecutive probes within budget that close the breaker. */
	public static final int DEFAULT_PROBES = 5;

	private static final BreakerSettings DEFAULTS = builder().build();

	private final Duration latencyBudget;

	private final double latencyPercentile;

	private final Duration window;

	private final int minimumCalls;

	private final int failureThreshold;

	private final double failureRate;

	private final Duration coolDown;

	private final int probes;

	private final Fallback fallback;

	private BreakerSettings(Builder builder) {
		this.latencyBudget = builder.latencyBudget;
		this.latencyPercentile = builder.latencyPercentile;
		this.window = builder.window;
		this.minimumCalls = builder.minimumCalls;
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

	/** Latency the chosen percentile of compressions must stay within. */
	public Duration latencyBudget() {
		return this.latencyBudget;
	}

	/** Percentile judged against the budget, for example 0.99. */
	public double latencyPercentile() {
		return this.latencyPercentile;
	}

	/** Sliding window over which latency and the failure rate are judged. */
	public Duration window() {
		return this.window;
	}

	/** Compressions the window must hold before latency or the failure rate is judged. */
	public int minimumCalls() {
		return this.minimumCalls;
	}

	/** Consecutive failures that trip the breaker. */
	public int failureThreshold() {
		return this.failureThreshold;
	}

	/** Share of failed compressions in the window that trips the breaker. */
	public double failureRate() {
		return this.failureRate;
	}

	/** Time the breaker stays degraded or open before it probes the policy again. */
	public Duration coolDown() {
		return this.coolDown;
	}

	/** Consecutive probes within budget that close the breaker again. */
	public int probes() {
		return this.probes;
	}

	/** What slow compression degrades to; failing compression always degrades to plain. */
	public Fallback fallback() {
		return this.fallback;
	}

	@Override
	public String toString() {
		return "latency-budget=" + this.latencyBudget + ", latency-percentile=" + this.latencyPercentile + ", window="
				+ this.window + ", minimum-calls=" + this.minimumCalls + ", failure-threshold=" + this.failureThreshold
				+ ", failure-rate=" + this.failureRate + ", cool-down=" + this.coolDown + ", probes=" + this.probes
				+ ", fallback=" + this.fallback;
	}

	/**
	 * What slow compression degrades to.
	 */
	public enum Fallback {

		/**
		 * A faster level of the same algorithm (zstd 1, or -1 from level 1; lz4 HC to lz4 fast;
		 * gzip and deflate 1), plain when there is none; plain if even that stays over budget.
		 */
		FASTER_LEVEL,

		/** Plain, without trying to compress. */
		PLAIN

	}

	/**
	 * Builds {@link BreakerSettings}.
	 */
	public static final class Builder {

		private Duration latencyBudget = DEFAULT_LATENCY_BUDGET;

		private double latencyPercentile = DEFAULT_LATENCY_PERCENTILE;

		private Duration window = DEFAULT_WINDOW;

		private int minimumCalls = DEFAULT_MINIMUM_CALLS;

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

		public Builder latencyPercentile(double latencyPercentile) {
			if (!(latencyPercentile > 0.0 && latencyPercentile < 1.0)) {
				throw new IllegalArgumentException(
						"'latency-percentile' must be above 0 and below 1 (for example 0.99), was " + latencyPercentile);
			}
			this.latencyPercentile = latencyPercentile;
			return this;
		}

		public Builder window(Duration window) {
			this.window = positive(window, "window");
			if (window.toNanos() < CompressionBreaker.BUCKETS) {
				throw new IllegalArgumentException("'window' must be at least " + CompressionBreaker.BUCKETS
						+ " ns, was " + window);
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
