package io.github.compressredis.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.compressredis.core.DecodeFuzzer.Case;
import io.github.compressredis.core.DecodeFuzzer.Outcomes;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@link DecodeFuzzer}'s seeded mutation loop at any scale, printing throughput and
 * outcome counts. Not part of the normal test run (which does a million in
 * {@link DecodeFuzzTests}); run it with
 *
 * <pre>
 * mvn -B -pl compress-redis-core test -Dtest=DecodeFuzzHarness -Dfuzz.iterations=10000000
 * </pre>
 *
 * optionally with {@code -Dfuzz.seed=<long>} for other mutations and
 * {@code -Dfuzz.threads=<n>}. It fails on the first decode that misbehaves, naming the
 * case, the seed and the mutation, or when the statistics disagree with what the decodes
 * did.
 */
class DecodeFuzzHarness {

	@Test
	@EnabledIfSystemProperty(named = "fuzz.iterations", matches = "\\d+")
	void fuzz() throws Exception {
		run(Long.getLong("fuzz.iterations"), Long.getLong("fuzz.seed", DecodeFuzzer.BASE_SEED),
				Integer.getInteger("fuzz.threads", Runtime.getRuntime().availableProcessors()));
	}

	/**
	 * Run the harness.
	 * @param args the number of inputs (default 10,000,000), the seed, the number of
	 * threads
	 * @throws Exception when a decode misbehaves
	 */
	public static void main(String[] args) throws Exception {
		long iterations = (args.length > 0) ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
		long seed = (args.length > 1) ? Long.decode(args[1]) : DecodeFuzzer.BASE_SEED;
		int threads = (args.length > 2) ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
		run(iterations, seed, threads);
	}

	static Outcomes run(long iterations, long seed, int threads) throws Exception {
		ValueCompressor compressor = DecodeFuzzer.compressor(CompressionPolicy.defaults());
		List<Case> cases = DecodeFuzzer.cases(compressor.getCodecs(), seed);
		long perCase = Math.max(1, iterations / cases.size());
		System.out.printf(Locale.ROOT,
				"decode fuzzing: %,d random mutations (%,d per case) of %d cases, seed 0x%x, %d threads%n",
				perCase * cases.size(), perCase, cases.size(), seed, threads);
		long start = System.nanoTime();
		Outcomes total = new Outcomes();
		ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, threads));
		try {
			List<Future<Outcomes>> futures = new ArrayList<>();
			for (Case fuzzCase : cases) {
				futures.add(executor.submit(() -> DecodeFuzzer.fuzz(fuzzCase, compressor, perCase)));
			}
			for (Future<Outcomes> future : futures) {
				try {
					total.add(future.get());
				}
				catch (ExecutionException ex) {
					if (ex.getCause() instanceof Error error) {
						throw error;
					}
					throw ex;
				}
			}
		}
		finally {
			executor.shutdownNow();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		System.out.printf(Locale.ROOT, "%,d decodes in %.1f s: %,.0f decodes/s%n", total.attempts, seconds,
				total.attempts / seconds);
		System.out.printf(Locale.ROOT, "  failed with a named fault: %,d %s%n", total.exceptions, total.faults);
		System.out.printf(Locale.ROOT, "  plain (magic removed):     %,d%n", total.plainReads);
		System.out.printf(Locale.ROOT, "  decoded exactly:           %,d%n", total.exactDecodes);
		System.out.printf(Locale.ROOT, "  decoded to the declared length without a checksum to check: %,d%n",
				total.attempts - total.exceptions - total.plainReads - total.exactDecodes);
		System.out.printf(Locale.ROOT, "  random mutations by kind:  %s%n", total.mutationsByKind);
		CompressionStats stats = compressor.getStats();
		check(stats.readFailures() == total.exceptions,
				"read failures counted " + stats.readFailures() + ", decodes that failed " + total.exceptions);
		for (DecodeFault fault : DecodeFault.values()) {
			check(stats.readFailures(fault) == total.faults.getOrDefault(fault, 0L), fault.tag() + " counted "
					+ stats.readFailures(fault) + ", seen " + total.faults.getOrDefault(fault, 0L));
		}
		check(stats.plainReads() == total.plainReads, "plain reads counted " + stats.plainReads());
		check(stats.compressedReads() == total.attempts - total.exceptions - total.plainReads,
				"compressed reads counted " + stats.compressedReads());
		System.out.println("  statistics agree with the decodes; nothing else escaped");
		return total;
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new AssertionError(message);
		}
	}

}
