package io.github.compressredis.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The harnesses' bounded SET/GET mix: client threads each SET then GET one key after
 * another over the loaded keys (each from its own starting key), after a warm-up of the
 * same mix, for at most a given time and a given number of operations per thread. Every
 * GET is compared with the original value, byte for byte (outside the timed section); a
 * difference fails the run. Records SET and GET latency (p50/p99), ops/s and the JVM's
 * process CPU time per operation over the measured window (every thread of the client
 * process: application threads, the client library's own I/O and native threads, GC and
 * JIT).
 *
 * @author compress-redis contributors
 */
final class SetGetMix {

	private final KeyValueClient client;

	private final String[] keys;

	private final List<byte[]> values;

	private SetGetMix(KeyValueClient client, String[] keys, List<byte[]> values) {
		this.client = client;
		this.keys = keys;
		this.values = values;
	}

	/**
	 * Run the mix.
	 * @param client the client, its keys already loaded
	 * @param keys the keys
	 * @param values the original values, one per key
	 * @param warmupSeconds the time each thread runs the mix before measuring
	 * @param seconds the measured time
	 * @param maxOps the most operations each thread measures
	 * @param threads the number of client threads
	 * @param label what is measured, for an error message
	 * @return what was measured
	 * @throws InterruptedException if interrupted while waiting for the threads
	 */
	static Result run(KeyValueClient client, String[] keys, List<byte[]> values, double warmupSeconds, double seconds,
			int maxOps, int threads, String label) throws InterruptedException {
		return new SetGetMix(client, keys, values).run(warmupSeconds, seconds, maxOps, threads, label);
	}

	private Result run(double warmupSeconds, double seconds, int maxOps, int threads, String label)
			throws InterruptedException {
		long measureNanos = (long) (seconds * 1e9);
		long warmupNanos = (long) (warmupSeconds * 1e9);
		Worker[] workers = new Worker[threads];
		Thread[] running = new Thread[threads];
		AtomicReference<Throwable> failure = new AtomicReference<>();
		long[] cpuStart = new long[1];
		// every thread warms up, then all start measuring together, so that CPU time has
		// one window
		CyclicBarrier start = new CyclicBarrier(threads, () -> cpuStart[0] = processCpuNanos());
		for (int t = 0; t < threads; t++) {
			workers[t] = new Worker((int) ((long) this.keys.length * t / threads), warmupNanos, measureNanos, maxOps,
					start);
			running[t] = new Thread(workers[t], "harness-client-" + t);
			running[t].setUncaughtExceptionHandler((thread, ex) -> {
				failure.compareAndSet(null, ex);
				start.reset();
			});
		}
		for (Thread thread : running) {
			thread.start();
		}
		for (Thread thread : running) {
			thread.join();
		}
		long cpuEnd = processCpuNanos();
		if (failure.get() != null) {
			throw new IllegalStateException("client thread failed in " + label, failure.get());
		}
		long[] sets = new long[0];
		long[] gets = new long[0];
		double elapsed = 0;
		long bytes = 0;
		for (Worker worker : workers) {
			sets = concat(sets, worker.setNanos, worker.sets);
			gets = concat(gets, worker.getNanos, worker.gets);
			elapsed = Math.max(elapsed, worker.elapsedNanos / 1e9);
			bytes += worker.bytes;
		}
		long[] all = concat(sets, gets, gets.length);
		Arrays.sort(sets);
		Arrays.sort(gets);
		Arrays.sort(all);
		int ops = all.length;
		return new Result(elapsed, sets.length, gets.length, ops / elapsed, bytes / elapsed / 1e6,
				percentile(sets, 0.50), percentile(sets, 0.99), percentile(gets, 0.50), percentile(gets, 0.99),
				percentile(all, 0.50), percentile(all, 0.99), (cpuEnd - cpuStart[0]) / 1e3 / ops);
	}

	private static long processCpuNanos() {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
			return sun.getProcessCpuTime();
		}
		throw new IllegalStateException("This JVM does not report process CPU time (" + os.getClass().getName()
				+ "); run the harness on OpenJDK or another HotSpot-based JDK");
	}

	private static long[] concat(long[] a, long[] b, int bLength) {
		long[] result = Arrays.copyOf(a, a.length + bLength);
		System.arraycopy(b, 0, result, a.length, bLength);
		return result;
	}

	/**
	 * Nearest-rank percentile, in microseconds.
	 * @param sortedNanos latencies in nanoseconds, sorted
	 * @param p the percentile, 0 to 1
	 * @return the latency in microseconds, NaN if there is none
	 */
	static double percentile(long[] sortedNanos, double p) {
		if (sortedNanos.length == 0) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(p * sortedNanos.length);
		return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e3;
	}

	/**
	 * What one mix measured; latencies in microseconds.
	 *
	 * @param seconds the measured time
	 * @param setOps the measured SETs
	 * @param getOps the measured GETs
	 * @param opsPerSecond SETs and GETs per second
	 * @param mbPerSecond original bytes moved per second (10^6 B)
	 * @param setP50 SET median
	 * @param setP99 SET 99th percentile
	 * @param getP50 GET median
	 * @param getP99 GET 99th percentile
	 * @param p50 median over SETs and GETs
	 * @param p99 99th percentile over SETs and GETs
	 * @param cpuMicrosPerOp the client process's CPU time per operation, in microseconds
	 */
	record Result(double seconds, int setOps, int getOps, double opsPerSecond, double mbPerSecond, double setP50,
			double setP99, double getP50, double getP99, double p50, double p99, double cpuMicrosPerOp) {
	}

	/** One client thread: SET then GET of each key in turn, from its own starting key. */
	private final class Worker implements Runnable {

		private final int firstKey;

		private final long warmupNanos;

		private final long measureNanos;

		private final int maxOps;

		private final CyclicBarrier start;

		final long[] setNanos;

		final long[] getNanos;

		int sets;

		int gets;

		long elapsedNanos;

		long bytes;

		Worker(int firstKey, long warmupNanos, long measureNanos, int maxOps, CyclicBarrier start) {
			this.firstKey = firstKey;
			this.warmupNanos = warmupNanos;
			this.measureNanos = measureNanos;
			this.maxOps = maxOps;
			this.start = start;
			this.setNanos = new long[(maxOps + 1) / 2];
			this.getNanos = new long[(maxOps + 1) / 2];
		}

		@Override
		public void run() {
			String[] keys = SetGetMix.this.keys;
			int key = this.firstKey;
			long warmupEnd = System.nanoTime() + this.warmupNanos;
			while (System.nanoTime() < warmupEnd) {
				set(key);
				get(key);
				key = (key + 1 == keys.length) ? 0 : key + 1;
			}
			try {
				// a thread that failed breaks the barrier for those waiting; one still
				// warming up then times out
				this.start.await(this.warmupNanos + 60_000_000_000L, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted before measuring", ex);
			}
			catch (BrokenBarrierException | TimeoutException ex) {
				throw new IllegalStateException("another client thread failed before measuring", ex);
			}
			long start = System.nanoTime();
			long deadline = start + this.measureNanos;
			int ops = 0;
			long now = start;
			while (ops < this.maxOps && now < deadline) {
				long t0 = System.nanoTime();
				set(key);
				long t1 = System.nanoTime();
				this.setNanos[this.sets++] = t1 - t0;
				ops++;
				if (ops < this.maxOps) {
					byte[] value = SetGetMix.this.client.get(keys[key]);
					now = System.nanoTime();
					this.getNanos[this.gets++] = now - t1;
					ops++;
					check(key, value);
				}
				else {
					now = t1;
				}
				this.bytes += 2L * SetGetMix.this.values.get(key).length;
				key = (key + 1 == keys.length) ? 0 : key + 1;
			}
			this.elapsedNanos = now - start;
		}

		private void set(int key) {
			SetGetMix.this.client.set(SetGetMix.this.keys[key], SetGetMix.this.values.get(key));
		}

		private void get(int key) {
			check(key, SetGetMix.this.client.get(SetGetMix.this.keys[key]));
		}

		/**
		 * Outside the timed section: the comparison costs the same whatever the client.
		 * @param key the index of the key that was read
		 * @param value the value the client returned
		 */
		private void check(int key, byte[] value) {
			byte[] expected = SetGetMix.this.values.get(key);
			if (!Arrays.equals(value, expected)) {
				throw new IllegalStateException("GET " + SetGetMix.this.keys[key] + " returned "
						+ ((value != null) ? value.length + " bytes that differ from the" : "nil instead of the")
						+ " original " + expected.length + " bytes");
			}
		}

	}

}
