package io.github.compressredis.autoconfigure.nacos;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;

/**
 * Waits, with Awaitility polling every 0.1 ms, for an asynchronous change and measures
 * how long it took.
 */
final class PolicyWait {

	/** How long a change from Nacos may take to be in force. */
	static final Duration LIMIT = Duration.ofSeconds(2);

	private static final Duration POLL = Duration.ofNanos(100_000);

	private PolicyWait() {
	}

	/**
	 * Wait until the condition holds, at most {@link #LIMIT} from {@code startNanos}.
	 * @param what what is awaited, for the failure message
	 * @param startNanos when the change was made, from {@link System#nanoTime()}
	 * @param condition the condition
	 * @return the time from {@code startNanos} to the condition holding
	 */
	static Duration until(String what, long startNanos, BooleanSupplier condition) {
		long left = Math.max(startNanos + LIMIT.toNanos() - System.nanoTime(), POLL.toNanos());
		await(what).atMost(Duration.ofNanos(left))
			.pollDelay(Duration.ZERO)
			.pollInterval(POLL)
			.until(condition::getAsBoolean);
		return Duration.ofNanos(System.nanoTime() - startNanos);
	}

}
