package io.github.compressredis.core.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.compressredis.core.internal.resilience.Ticker;

/**
 * A ticker that tests move: every read advances time by a step (how long a compression
 * seems to take, as the compressor reads the ticker before and after it), and
 * {@link #advance} jumps. Its CPU time is unmeasured until {@link #costs} injects what a
 * sampled write's reference compression at the fastest level and its own compression
 * cost: a sampled write reads the CPU time before and after each of the two, the
 * reference first, so every second read adds the cost of the compression it ends. The
 * wait for a CPU is unmeasured until {@link #waits} sets it.
 */
final class ManualTicker implements Ticker {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final AtomicLong cpu = new AtomicLong();

	private final AtomicLong cpuReads = new AtomicLong();

	private volatile long stepNanos;

	private volatile long costNanos = -1;

	private volatile long referenceCostNanos = -1;

	private final AtomicLong waited = new AtomicLong();

	/**
	 * From -1: the breaker reads the wait once when it is created, to see whether it is
	 * measured.
	 */
	private final AtomicLong waitReads = new AtomicLong(-1);

	private volatile long waitNanos = -1;

	private volatile double hostCpuLoad = -1;

	ManualTicker(Duration step) {
		this.stepNanos = step.toNanos();
	}

	void step(Duration step) {
		this.stepNanos = step.toNanos();
	}

	void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

	/**
	 * Make sampled compressions cost CPU time.
	 * @param cost what compressing at the write's level costs
	 * @param referenceCost what compressing the same value at the algorithm's fastest
	 * level costs
	 */
	void costs(Duration cost, Duration referenceCost) {
		this.costNanos = cost.toNanos();
		this.referenceCostNanos = referenceCost.toNanos();
	}

	/** The current time, without a step. */
	long peek() {
		return this.now.get();
	}

	/**
	 * Make the wait for a CPU measurable: each sampled compression waits this long.
	 * @param wait how long
	 */
	void waits(Duration wait) {
		this.waitNanos = wait.toNanos();
	}

	void hostCpuLoad(double load) {
		this.hostCpuLoad = load;
	}

	@Override
	public double hostCpuLoad() {
		return this.hostCpuLoad;
	}

	@Override
	public long waitTime() {
		if (this.waitNanos < 0) {
			return -1;
		}
		return (this.waitReads.getAndIncrement() % 2 == 1) ? this.waited.addAndGet(this.waitNanos) : this.waited.get();
	}

	@Override
	public long read() {
		return this.now.addAndGet(this.stepNanos);
	}

	@Override
	public long cpuTime() {
		if (this.costNanos < 0) {
			return -1;
		}
		long read = this.cpuReads.getAndIncrement();
		if (read % 2 == 1) {
			return this.cpu.addAndGet((read % 4 == 1) ? this.referenceCostNanos : this.costNanos);
		}
		return this.cpu.get();
	}

}
