package io.github.compressredis.core.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ticker that tests move: every read advances time by a step (how long a compression seems to
 * take, as the compressor reads the ticker before and after it), and {@link #advance} jumps.
 */
final class ManualTicker implements Ticker {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private volatile long stepNanos;

	ManualTicker(Duration step) {
		this.stepNanos = step.toNanos();
	}

	void step(Duration step) {
		this.stepNanos = step.toNanos();
	}

	void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

	@Override
	public long read() {
		return this.now.addAndGet(this.stepNanos);
	}

}
