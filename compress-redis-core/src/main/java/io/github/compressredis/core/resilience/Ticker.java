package io.github.compressredis.core.resilience;

/**
 * A source of monotonic nanoseconds, {@link System#nanoTime()} unless a test needs to control
 * time.
 */
@FunctionalInterface
public interface Ticker {

	/** The system's monotonic clock. */
	Ticker SYSTEM = System::nanoTime;

	/**
	 * Return the current time in nanoseconds from an arbitrary origin.
	 * @return the time
	 */
	long read();

}
