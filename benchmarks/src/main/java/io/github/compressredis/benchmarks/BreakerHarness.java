package io.github.compressredis.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.codec.Codec;
import io.github.compressredis.core.internal.resilience.Ticker;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.resilience.BreakerSettings;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import io.github.compressredis.core.stats.WriteOutcome;
import io.github.compressredis.testsupport.corpus.Corpus;

/**
 * Loads the sample application's products through {@link ValueCompressor}s with the
 * default {@link CompressionBreaker}, the way the sample's "Load 1,000 products" button
 * does (each product written once through the template target and once through the cache
 * target, each target with its own breaker), with and without a CPU hog running
 * alongside, and reports what share of writes was compressed at the configured level, at
 * a faster level, and stored plain, and how many trials tripped a breaker at all (a false
 * trip: nothing is wrong with the codec). Then it loads the same products with a level
 * far slower than the configured one (zstd 19 against zstd 3: over 10 times its CPU cost
 * per byte) and with an injected delay on every compression, and reports after how many
 * writes and how long the breaker tripped. It first prints what each level costs in
 * thread CPU time against its algorithm's fastest level on the same product (the ratio
 * the breaker judges), and it also loads only the products of 256 KB and more with the
 * hog, where wall time is most often over budget. Every run is bounded by its product
 * count and trial count. Prints Markdown tables.
 * <p>
 * Usage, after {@code mvn -B -q -pl benchmarks,sample-app -am package -DskipTests}:
 * {@code java -cp benchmarks/target/benchmarks.jar:sample-app/target/classes
 * io.github.compressredis.benchmarks.BreakerHarness [--products 1000] [--trials 5] [--hog-threads 4]
 * [--level 3] [--slow-level 19] [--delay-ms 20]}.
 *
 * @author compress-redis contributors
 */
public final class BreakerHarness {

	private static final String GENERATOR = "io.github.compressredis.sample.ProductDetailsGenerator";

	private BreakerHarness() {
	}

	public static void main(String[] args) throws Exception {
		int products = 1000;
		int trials = 5;
		int hogThreads = 4;
		int level = 3;
		int slowLevel = 19;
		int delayMillis = 20;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--products" -> products = Integer.parseInt(args[++i]);
				case "--trials" -> trials = Integer.parseInt(args[++i]);
				case "--hog-threads" -> hogThreads = Integer.parseInt(args[++i]);
				case "--level" -> level = Integer.parseInt(args[++i]);
				case "--slow-level" -> slowLevel = Integer.parseInt(args[++i]);
				case "--delay-ms" -> delayMillis = Integer.parseInt(args[++i]);
				default -> throw new IllegalArgumentException("Unknown argument " + args[i]
						+ "; usage: BreakerHarness [--products N] [--trials N] [--hog-threads N] [--level N]"
						+ " [--slow-level N] [--delay-ms N]");
			}
		}
		List<byte[]> values = products(products);
		long bytes = Corpus.totalBytes(values);
		System.out.printf(Locale.ROOT, "%d products, %.1f MB of JSON, %d writes per trial; %d cores; defaults: %s%n%n",
				products, bytes / 1e6, 2 * products, Runtime.getRuntime().availableProcessors(),
				BreakerSettings.defaults());
		costRatios(values);
		System.out.println("| run | trial | seconds | writes | at zstd " + level
				+ " | faster level | plain (breaker) | plain (other) | trips | first trip after | breaker reason |");
		System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
		try (CodecRegistry codecs = new CodecRegistry()) {
			CompressionPolicy policy = CompressionPolicy.builder().algorithm(Algorithm.ZSTD).level(level).build();
			List<Trial> quiet = new ArrayList<>();
			for (int t = 1; t <= trials; t++) {
				quiet.add(print("no hog", t, run(codecs, policy, values, DelayTicker.NONE)));
			}
			List<Trial> hogged = new ArrayList<>();
			List<Trial> hoggedLarge = new ArrayList<>();
			List<byte[]> large = values.stream().filter((value) -> value.length >= 256 * 1024).toList();
			try (Hog hog = new Hog(hogThreads)) {
				for (int t = 1; t <= trials; t++) {
					hogged.add(print(hog.threads + " busy threads", t, run(codecs, policy, values, DelayTicker.NONE)));
				}
				for (int t = 1; t <= trials; t++) {
					hoggedLarge.add(print(hog.threads + " busy threads, " + large.size() + " products >= 256 KB", t,
							run(codecs, policy, large, DelayTicker.NONE)));
				}
			}
			CompressionPolicy slow = policy.toBuilder().level(slowLevel).build();
			Trial slowTrial = print("zstd " + slowLevel + " (slow level)", 1,
					run(codecs, slow, values, DelayTicker.NONE));
			Trial delayTrial = print(delayMillis + " ms delay per call", 1,
					run(codecs, policy, values.subList(0, Math.min(values.size(), 200)), new DelayTicker(delayMillis)));
			System.out.println();
			summary("no hog", quiet);
			summary(hogThreads + " busy threads", hogged);
			summary(hogThreads + " busy threads, products >= 256 KB", hoggedLarge);
			System.out.printf(Locale.ROOT, "zstd %d: %s%n", slowLevel,
					(slowTrial.trips > 0) ? "tripped after " + slowTrial.firstTripWrites + " writes, "
							+ seconds(slowTrial.firstTripNanos) + " s" : "DID NOT TRIP");
			System.out.printf(Locale.ROOT, "%d ms delay: %s%n", delayMillis,
					(delayTrial.trips > 0) ? "tripped after " + delayTrial.firstTripWrites + " writes, "
							+ seconds(delayTrial.firstTripNanos) + " s" : "DID NOT TRIP");
		}
	}

	/**
	 * Print the thread CPU time of each level against its algorithm's fastest level on
	 * the same product, measured as the breaker samples it (min, median, max over the
	 * first 110 products: ten of each size class).
	 * @param values the corpus values to measure on
	 */
	private static void costRatios(List<byte[]> values) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		List<byte[]> sample = values.subList(0, Math.min(values.size(), 110));
		System.out.println("| level | reference | cost ratio min | median | max | values |");
		System.out.println("|---|---|---:|---:|---:|---:|");
		Object[][] levels = { { Algorithm.ZSTD, 3 }, { Algorithm.ZSTD, 9 }, { Algorithm.ZSTD, 12 },
				{ Algorithm.ZSTD, 19 }, { Algorithm.LZ4, 9 }, { Algorithm.GZIP, 6 }, { Algorithm.GZIP, 9 } };
		try (CodecRegistry codecs = new CodecRegistry(); CodecRegistry references = new CodecRegistry()) {
			for (Object[] entry : levels) {
				Algorithm algorithm = (Algorithm) entry[0];
				int level = (Integer) entry[1];
				int reference = CompressionBreaker.referenceLevel(algorithm);
				Codec codec = codecs.codec(algorithm);
				Codec referenceCodec = references.codec(algorithm);
				double[] ratios = new double[sample.size()];
				for (int i = 0; i < sample.size(); i++) {
					byte[] value = sample.get(i);
					// the reference first, on codecs of its own, as the breaker measures
					// it
					long start = threads.getCurrentThreadCpuTime();
					referenceCodec.compress(value, reference, 32, value.length);
					long referenceCost = threads.getCurrentThreadCpuTime() - start;
					start = threads.getCurrentThreadCpuTime();
					codec.compress(value, level, 32, value.length);
					long cost = threads.getCurrentThreadCpuTime() - start;
					ratios[i] = (double) cost / Math.max(1, referenceCost);
				}
				Arrays.sort(ratios);
				System.out.printf(Locale.ROOT, "| %s %d | %s %d | %.1f× | %.1f× | %.1f× | %d |%n", algorithm.tag(),
						level, algorithm.tag(), reference, ratios[0], ratios[ratios.length / 2],
						ratios[ratios.length - 1], ratios.length);
			}
		}
		System.out.println();
	}

	/**
	 * Load every value twice (template and cache targets), one breaker per target, as one
	 * writer.
	 * @param codecs the codecs the compressors use
	 * @param policy the policy in force for both targets
	 * @param values the values to write
	 * @param ticker the clock and CPU readings, with the injected delay
	 * @return the trial's counts and timings
	 */
	private static Trial run(CodecRegistry codecs, CompressionPolicy policy, List<byte[]> values, DelayTicker ticker) {
		CompressionStats stats = new CompressionStats();
		CompressionPolicyHolder policies = new CompressionPolicyHolder(policy);
		CompressionBreaker templateBreaker = new CompressionBreaker(BreakerSettings.defaults(), stats, ticker);
		CompressionBreaker cacheBreaker = new CompressionBreaker(BreakerSettings.defaults(), stats, ticker);
		ValueCompressor template = new ValueCompressor(policies, codecs, stats, templateBreaker);
		ValueCompressor cache = new ValueCompressor(policies, codecs, stats, cacheBreaker);
		Trial trial = new Trial();
		long start = System.nanoTime();
		int writes = 0;
		for (byte[] value : values) {
			for (ValueCompressor target : List.of(template, cache)) {
				target.compress(value);
				writes++;
				long trips = stats.breakerTrips(FallbackReason.SLOW) + stats.breakerTrips(FallbackReason.FAILING);
				if (trips > 0 && trial.firstTripWrites == 0) {
					trial.firstTripWrites = writes;
					trial.firstTripNanos = System.nanoTime() - start;
					trial.reason = stats.breakerStatus().detail();
				}
			}
		}
		trial.nanos = System.nanoTime() - start;
		trial.writes = stats.writes();
		// a faster-level write counts a fallback and is compressed; a plain one is
		// skipped or failed
		long breakerPlain = stats.writes(WriteOutcome.SKIPPED) + stats.writes(WriteOutcome.FAILED);
		trial.faster = stats.fallbacks(FallbackReason.SLOW) + stats.fallbacks(FallbackReason.FAILING)
				- stats.writes(WriteOutcome.SKIPPED);
		trial.configured = stats.writes(WriteOutcome.COMPRESSED) - trial.faster;
		trial.breakerPlain = breakerPlain;
		trial.otherPlain = trial.writes - stats.writes(WriteOutcome.COMPRESSED) - breakerPlain;
		trial.trips = stats.breakerTrips(FallbackReason.SLOW) + stats.breakerTrips(FallbackReason.FAILING);
		return trial;
	}

	private static Trial print(String run, int number, Trial trial) {
		System.out.printf(Locale.ROOT, "| %s | %d | %s | %d | %s | %s | %s | %s | %d | %s | %s |%n", run, number,
				seconds(trial.nanos), trial.writes, percent(trial.configured, trial.writes),
				percent(trial.faster, trial.writes), percent(trial.breakerPlain, trial.writes),
				percent(trial.otherPlain, trial.writes), trial.trips,
				(trial.trips > 0) ? trial.firstTripWrites + " writes" : "-",
				(trial.reason != null) ? trial.reason.replace('|', '/') : "-");
		return trial;
	}

	private static void summary(String run, List<Trial> trials) {
		long writes = 0;
		long configured = 0;
		long faster = 0;
		long plain = 0;
		long tripped = 0;
		long trips = 0;
		for (Trial trial : trials) {
			writes += trial.writes;
			configured += trial.configured;
			faster += trial.faster;
			plain += trial.breakerPlain;
			trips += trial.trips;
			tripped += (trial.trips > 0) ? 1 : 0;
		}
		System.out.printf(Locale.ROOT,
				"%s: %s at the configured level, %s at a faster level, %s plain by the breaker; "
						+ "false trips: %d of %d trials (%d trips in %d writes)%n",
				run, percent(configured, writes), percent(faster, writes), percent(plain, writes), tripped,
				trials.size(), trips, writes);
	}

	private static String percent(long part, long whole) {
		return String.format(Locale.ROOT, "%.2f%%", (whole > 0) ? 100.0 * part / whole : 0.0);
	}

	private static String seconds(long nanos) {
		return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
	}

	/**
	 * Return the sample application's products 1 to {@code count}, from its own
	 * {@code ProductDetailsGenerator} (deterministic per id, 1 KB to 1 MB of JSON). The
	 * sample is a Boot application whose jar is repackaged, so it is put on the class
	 * path as classes.
	 * @param count how many products to generate
	 * @return the products' JSON bytes, in id order
	 */
	private static List<byte[]> products(int count) throws ReflectiveOperationException {
		Class<?> type;
		try {
			type = Class.forName(GENERATOR);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(GENERATOR + " is not on the class path: build the sample "
					+ "(mvn -B -q -pl benchmarks,sample-app -am package -DskipTests) and add sample-app/target/classes "
					+ "to -cp", ex);
		}
		Object generator = type.getConstructor().newInstance();
		Method details = type.getMethod("details", long.class);
		List<byte[]> values = new ArrayList<>(count);
		for (long id = 1; id <= count; id++) {
			values.add(((String) details.invoke(generator, id)).getBytes(StandardCharsets.UTF_8));
		}
		return values;
	}

	private static final class Trial {

		long nanos;

		long writes;

		long configured;

		long faster;

		long breakerPlain;

		long otherPlain;

		long trips;

		long firstTripWrites;

		long firstTripNanos;

		String reason;

	}

	/**
	 * The system ticker, optionally with a real delay on every compression: the breaker
	 * reads the time before and after each one, so sleeping before every second read puts
	 * the delay inside the time it measures, as a codec that blocks would.
	 */
	private static final class DelayTicker implements Ticker {

		static final DelayTicker NONE = new DelayTicker(0);

		private final long delayMillis;

		private long reads;

		DelayTicker(long delayMillis) {
			this.delayMillis = delayMillis;
		}

		@Override
		public long read() {
			if (this.delayMillis > 0 && (this.reads++ % 2 == 1)) {
				try {
					Thread.sleep(this.delayMillis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return System.nanoTime();
		}

	}

	/** Busy threads that keep every core contended while a run goes on. */
	private static final class Hog implements AutoCloseable {

		final int threads;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final List<Thread> workers = new ArrayList<>();

		Hog(int threads) {
			this.threads = threads;
			for (int i = 0; i < threads; i++) {
				Thread worker = new Thread(this::spin, "cpu-hog-" + i);
				worker.setDaemon(true);
				worker.start();
				this.workers.add(worker);
			}
		}

		private void spin() {
			long x = System.nanoTime();
			while (this.running.get()) {
				for (int i = 0; i < 100_000; i++) {
					x = x * 6364136223846793005L + 1442695040888963407L;
				}
			}
			if (x == 42) {
				System.out.print("");
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			for (Thread worker : this.workers) {
				worker.join(10_000);
			}
		}

	}

}
