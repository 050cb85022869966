package io.github.compressredis.core.internal.resilience;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM's thread CPU time, and on Linux the time the thread waited for a CPU, when they
 * are available.
 *
 * @author compress-redis contributors
 */
final class ThreadCpu {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final boolean SUPPORTED = supported();

	/**
	 * Linux: CPU time, time waiting on a run queue and time slices of the calling thread.
	 */
	private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

	private static volatile boolean schedstat = true;

	private ThreadCpu() {
	}

	static long now() {
		if (!SUPPORTED) {
			return -1;
		}
		try {
			// -1 on a virtual thread
			return THREADS.getCurrentThreadCpuTime();
		}
		catch (UnsupportedOperationException ex) {
			return -1;
		}
	}

	/**
	 * Return the time the calling thread has spent runnable but waiting for a CPU, from
	 * {@code /proc/thread-self/schedstat}, or {@code -1} where there is no such file.
	 * @return the wait in nanoseconds, or {@code -1}
	 */
	static long waitTime() {
		if (!schedstat) {
			return -1;
		}
		try {
			byte[] line = Files.readAllBytes(SCHEDSTAT);
			int i = 0;
			while (i < line.length && line[i] != ' ') {
				i++;
			}
			long wait = 0;
			for (i++; i < line.length && line[i] >= '0' && line[i] <= '9'; i++) {
				wait = wait * 10 + (line[i] - '0');
			}
			return wait;
		}
		catch (IOException | RuntimeException ex) {
			schedstat = false;
			return -1;
		}
	}

	/**
	 * Return the host's recent CPU load (0 to 1), or {@code -1} when the JVM does not
	 * report it.
	 * @return the load, or {@code -1}
	 */
	static double hostLoad() {
		try {
			if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
				return os.getCpuLoad();
			}
		}
		catch (RuntimeException | LinkageError ex) {
			// not reported here
		}
		return -1;
	}

	private static boolean supported() {
		try {
			return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
		}
		catch (UnsupportedOperationException | SecurityException ex) {
			return false;
		}
	}

}
