package io.github.compressredis.core.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free log-linear histogram of durations in nanoseconds: four buckets per power of two, so
 * a percentile is reported within 19% of the true value, in fixed memory and with one counter
 * increment per recording.
 */
public final class LatencyHistogram {

	private static final int LINEAR = 16;

	private static final int SUB_BUCKETS = 4;

	private static final int BUCKETS = LINEAR + (63 - 4) * SUB_BUCKETS;

	private final LongAdder[] counts = new LongAdder[BUCKETS];

	public LatencyHistogram() {
		for (int i = 0; i < BUCKETS; i++) {
			this.counts[i] = new LongAdder();
		}
	}

	/**
	 * Record one duration.
	 * @param nanos the duration, negative values count as zero
	 */
	public void record(long nanos) {
		this.counts[index(Math.max(0, nanos))].increment();
	}

	/**
	 * Return the number of recorded durations.
	 * @return the count
	 */
	public long count() {
		long total = 0;
		for (LongAdder count : this.counts) {
			total += count.sum();
		}
		return total;
	}

	/**
	 * Return an upper bound of the given percentile.
	 * @param percentile between 0 and 1, for example 0.99
	 * @return the duration in nanoseconds, {@code 0} when nothing was recorded
	 */
	public long percentile(double percentile) {
		long[] snapshot = new long[BUCKETS];
		long total = 0;
		for (int i = 0; i < BUCKETS; i++) {
			snapshot[i] = this.counts[i].sum();
			total += snapshot[i];
		}
		if (total == 0) {
			return 0;
		}
		long rank = Math.max(1, (long) Math.ceil(percentile * total));
		long seen = 0;
		for (int i = 0; i < BUCKETS; i++) {
			seen += snapshot[i];
			if (seen >= rank) {
				return upperBound(i);
			}
		}
		return upperBound(BUCKETS - 1);
	}

	static int index(long nanos) {
		if (nanos < LINEAR) {
			return (int) nanos;
		}
		int exponent = 63 - Long.numberOfLeadingZeros(nanos);
		int sub = (int) (nanos >>> (exponent - 2)) & (SUB_BUCKETS - 1);
		return LINEAR + (exponent - 4) * SUB_BUCKETS + sub;
	}

	static long upperBound(int index) {
		if (index < LINEAR) {
			return index;
		}
		int exponent = (index - LINEAR) / SUB_BUCKETS + 4;
		int sub = (index - LINEAR) % SUB_BUCKETS;
		long base = 1L << exponent;
		long width = base >>> 2;
		return base + (sub + 1) * width - 1;
	}

}
