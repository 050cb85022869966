package io.github.compressredis.core.resilience;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The JVM's thread CPU time, when it is available.
 */
final class ThreadCpu {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final boolean SUPPORTED = supported();

	private ThreadCpu() {
	}

	static long now() {
		return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : -1;
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
