package io.github.compressredis.core.internal.resilience;

/**
 * A source of monotonic nanoseconds, {@link System#nanoTime()} unless a test needs to
 * control time, and of the current thread's CPU time, which the breaker samples to judge
 * what compression costs without counting the time a busy host keeps the thread waiting.
 *
 * @author compress-redis contributors
 */
@FunctionalInterface
public interface Ticker {

	/** The system's monotonic clock and the JVM's thread CPU time. */
	Ticker SYSTEM = System::nanoTime;

	/**
	 * Return the current time in nanoseconds from an arbitrary origin.
	 * @return the time
	 */
	long read();

	/**
	 * Return the CPU time the current thread has used, in nanoseconds, or {@code -1} when
	 * it cannot be measured (a virtual thread, a JVM without thread CPU time). About 0.7
	 * µs a call on Linux: the breaker samples it, never on every write.
	 * @return the CPU time, or {@code -1}
	 */
	default long cpuTime() {
		return ThreadCpu.now();
	}

	/**
	 * Return the time the current thread has spent runnable but waiting for a CPU, in
	 * nanoseconds, or {@code -1} when it cannot be measured (outside Linux). The breaker
	 * takes it out of a sampled compression's wall time: a busy host makes threads wait
	 * for a CPU, a codec that blocks does not.
	 * @return the waiting time, or {@code -1}
	 */
	default long waitTime() {
		return ThreadCpu.waitTime();
	}

	/**
	 * Return the recent CPU load of the whole host, from 0 to 1, or a negative value when
	 * it is not available. Read at most once per window bucket, and only when
	 * {@code host-cpu-threshold} is set.
	 * @return the load
	 */
	default double hostCpuLoad() {
		return ThreadCpu.hostLoad();
	}

}
