package io.github.compressredis.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.sun.management.OperatingSystemMXBean;
import io.github.compressredis.testsupport.corpus.Corpus;

/**
 * {@link CodecBenchmark}'s cells measured in CPU time instead of wall time, for a machine
 * that other work keeps busy: in one JVM, the codecs take turns in short slices (each
 * round in another order, so that drift spreads over all of them), each slice measured
 * with the process's CPU time (this thread, the collector's and the compiler's threads;
 * time spent waiting for a core is not in it). Each round gives every codec's MB per CPU
 * second and its ratio, in that same round, to its reference: for a serializer variant
 * the native codec of the same algorithm and level when it is in the list (the
 * {@code -crc} variants too), else the first codec of the list; the report gives the
 * median and the range of those paired ratios over the rounds. Bounded: the rounds times
 * the codecs times the slice, plus a warm-up per codec.
 * <p>
 * {@code java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp benchmarks.jar io.github.compressredis.benchmarks.CodecCpuHarness
 * compress mdn-bcd.jsonl,emoji.jsonl native-lz4,serializer-lz4,redisson-lz4 [rounds 10] [slice-ms 300] [warmup-s 2]}
 *
 * @author compress-redis contributors
 */
public final class CodecCpuHarness {

	private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static long sink;

	private CodecCpuHarness() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 3) {
			System.err.println("usage: CodecCpuHarness <compress|decompress> <file,...> <reference-codec,codec,...> "
					+ "[rounds] [slice-ms] [warmup-s]");
			System.exit(2);
		}
		boolean compress = switch (args[0]) {
			case "compress" -> true;
			case "decompress" -> false;
			default -> throw new IllegalArgumentException("direction must be compress or decompress, was " + args[0]);
		};
		List<String> files = List.of(args[1].split(","));
		List<String> codecs = List.of(args[2].split(","));
		int rounds = (args.length > 3) ? Integer.parseInt(args[3]) : 10;
		long sliceNanos = ((args.length > 4) ? Long.parseLong(args[4]) : 300) * 1_000_000L;
		long warmupNanos = (long) (((args.length > 5) ? Double.parseDouble(args[5]) : 2) * 1e9);
		if (rounds < 1 || rounds > 100 || sliceNanos <= 0 || sliceNanos > 10_000_000_000L) {
			throw new IllegalArgumentException("rounds must be in [1, 100] and slice-ms in (0, 10000]");
		}
		System.out.printf(Locale.ROOT,
				"%s, %d rounds of %d ms CPU per codec, ratios to %s in the same round " + "(median, min-max)%n%n",
				args[0], rounds, sliceNanos / 1_000_000, codecs.get(0));
		System.out.println("| file | codec | MB per CPU s (median, min-max) | ratio to " + codecs.get(0) + " |");
		System.out.println("|---|---|---:|---:|");
		for (String file : files) {
			run(file, codecs, compress, rounds, sliceNanos, warmupNanos);
		}
		System.out.println("(sink " + (sink & 0xF) + ")");
	}

	private static void run(String file, List<String> names, boolean compress, int rounds, long sliceNanos,
			long warmupNanos) throws Exception {
		List<byte[]> all = Corpus.values(file);
		List<Cell> cells = new ArrayList<>();
		for (String name : names) {
			cells.add(new Cell(CodecUnderTest.create(name, file), all, compress, rounds));
		}
		try {
			for (Cell cell : cells) {
				cell.slice(warmupNanos);
			}
			for (int round = 0; round < rounds; round++) {
				for (int i = 0; i < cells.size(); i++) {
					// rotate the order, and reverse it every other round
					int k = (round + i) % cells.size();
					Cell cell = cells.get((round % 2 == 0) ? k : cells.size() - 1 - k);
					cell.mbPerCpuSecond[round] = cell.slice(sliceNanos);
				}
			}
			for (Cell cell : cells) {
				Cell reference = reference(cells, cell);
				double[] ratios = new double[rounds];
				for (int round = 0; round < rounds; round++) {
					ratios[round] = cell.mbPerCpuSecond[round] / reference.mbPerCpuSecond[round];
				}
				double[] speed = cell.mbPerCpuSecond.clone();
				Arrays.sort(speed);
				Arrays.sort(ratios);
				System.out.printf(Locale.ROOT, "| %s | %s | %,.1f (%,.1f-%,.1f) | %s | %.3f (%.3f-%.3f) |%n", file,
						cell.codec.name(), median(speed), speed[0], speed[rounds - 1], reference.codec.name(),
						median(ratios), ratios[0], ratios[rounds - 1]);
			}
		}
		finally {
			for (Cell cell : cells) {
				cell.close();
			}
		}
	}

	private static Cell reference(List<Cell> cells, Cell cell) {
		String name = cell.codec.name();
		if (name.startsWith("serializer-")) {
			String nativeName = "native-" + name.substring("serializer-".length()).replace("-crc", "");
			for (Cell candidate : cells) {
				if (candidate.codec.name().equals(nativeName)) {
					return candidate;
				}
			}
		}
		return cells.get(0);
	}

	private static double median(double[] sorted) {
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	/** One codec on one file's values, cycling through them in file order. */
	private static final class Cell {

		private final CodecUnderTest codec;

		private final byte[][] values;

		private final Object[] prepared;

		private final List<Object> preparedList;

		private final boolean compress;

		private final double[] mbPerCpuSecond;

		private int next;

		Cell(CodecUnderTest codec, List<byte[]> all, boolean compress, int rounds) {
			this.codec = codec;
			List<byte[]> usable = codec.usable(all);
			this.values = usable.toArray(new byte[0][]);
			this.preparedList = CodecUnderTest.prepareAll(codec, usable, new int[usable.size()]);
			this.prepared = this.preparedList.toArray();
			for (int i = 0; i < this.values.length; i++) {
				if (!Arrays.equals(codec.decompress(this.prepared[i]), this.values[i])) {
					throw new IllegalStateException(codec.name() + " does not round-trip value " + i);
				}
			}
			this.compress = compress;
			this.mbPerCpuSecond = new double[rounds];
		}

		/**
		 * Run values until the process has spent {@code cpuNanos} of CPU time, in batches
		 * so that reading the clock stays out of the measured work; return MB (original
		 * bytes) per CPU second.
		 * @param cpuNanos the process CPU time to spend
		 * @return megabytes of original bytes per CPU second
		 */
		double slice(long cpuNanos) {
			long bytes = 0;
			long start = OS.getProcessCpuTime();
			long spent = 0;
			while (spent < cpuNanos) {
				for (int i = 0; i < 64; i++) {
					int index = this.next;
					this.next = (index + 1 == this.values.length) ? 0 : index + 1;
					Object result = this.compress ? this.codec.compress(this.values[index])
							: this.codec.decompress(this.prepared[index]);
					sink += System.identityHashCode(result);
					bytes += this.values[index].length;
				}
				spent = OS.getProcessCpuTime() - start;
			}
			return bytes / 1e6 / (spent / 1e9);
		}

		void close() throws Exception {
			this.codec.release(this.preparedList);
			this.codec.close();
		}

	}

}
