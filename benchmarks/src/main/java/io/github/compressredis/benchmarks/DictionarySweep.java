package io.github.compressredis.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.github.luben.zstd.Zstd;
import io.github.compressredis.core.internal.codec.ZstdDictionaryCodec;
import io.github.compressredis.core.internal.dictionary.DictionaryTrainer;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.internal.stats.RedisMemoryEstimate;
import io.github.compressredis.testsupport.corpus.Corpus;

/**
 * Chooses the dictionary defaults: for each file, dictionary size and level, the stored
 * bytes and an estimate of Redis's {@code MEMORY USAGE} per key (see
 * {@link RedisMemoryEstimate}), against zstd without a dictionary at the default
 * thresholds, with the checksum on and off. The dictionary is trained (for the level) on
 * the even-numbered values and measured on the odd-numbered ones (held out), so a large
 * dictionary cannot score by memorising the values it is measured on. Single-threaded;
 * the compress time is a rough mean for comparing rows of one run, not a benchmark (JMH's
 * {@code CodecBenchmark} is).
 * <p>
 * Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.compressredis.benchmarks.DictionarySweep
 * [--files emoji.jsonl,city.jsonl] [--sizes 16384,65536] [--levels 3,19]}.
 *
 * @author compress-redis contributors
 */
public final class DictionarySweep {

	private static final int MIN_SIZE = 32;

	private static final double MAX_RATIO = 0.9;

	private DictionarySweep() {
	}

	public static void main(String[] args) {
		List<String> files = List.of("emoji.jsonl", "city.jsonl");
		List<Integer> sizes = List.of(8 * 1024, 16 * 1024, 32 * 1024, 64 * 1024, 110 * 1024);
		List<Integer> levels = List.of(3, 6, 9, 19);
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--files" -> files = List.of(args[++i].split(","));
				case "--sizes" -> sizes = ints(args[++i]);
				case "--levels" -> levels = ints(args[++i]);
				default -> throw new IllegalArgumentException("Unknown argument " + args[i]
						+ "; usage: DictionarySweep [--files a,b] [--sizes 16384,65536] [--levels 3,19]");
			}
		}
		System.out.println("| file | dictionary | level | checksum | stored/original |"
				+ " Σ MEMORY USAGE est. vs zstd 3 without | compress µs/value |");
		System.out.println("|---|---:|---:|---|---:|---:|---:|");
		for (String file : files) {
			List<byte[]> values = Corpus.values(file);
			List<byte[]> training = new ArrayList<>();
			List<byte[]> heldOut = new ArrayList<>();
			for (int i = 0; i < values.size(); i++) {
				(((i % 2) == 0) ? training : heldOut).add(values.get(i));
			}
			String prefix = "bench:" + file.replace(".jsonl", "") + ":";
			long original = Corpus.totalBytes(heldOut);
			long baseline = 0;
			for (int i = 0; i < heldOut.size(); i++) {
				byte[] value = heldOut.get(i);
				int stored = value.length;
				if (value.length >= 192) {
					int candidate = WireFormat.headerLength(value.length, 0, true) + Zstd.compress(value, 3).length;
					stored = (candidate <= value.length * MAX_RATIO) ? candidate : value.length;
				}
				baseline += RedisMemoryEstimate.perKey(prefix + (2 * i + 1), stored);
			}
			System.out.printf(Locale.ROOT, "| %s | none | 3 | on | - | 1.000 (%.0f B/key) | - |%n", file,
					(double) baseline / heldOut.size());
			for (int size : sizes) {
				for (int level : levels) {
					byte[] dictionary = DictionaryTrainer.train(training, size, level);
					try (ZstdDictionaryCodec codec = new ZstdDictionaryCodec(1, dictionary)) {
						for (boolean checksum : new boolean[] { true, false }) {
							long[] measured = measure(codec, level, checksum, heldOut, prefix);
							long stored = measured[0];
							long memory = measured[1];
							long nanos = measured[2];
							System.out.printf(Locale.ROOT, "| %s | %d B | %d | %s | %.3f | %.3f | %.2f |%n", file,
									dictionary.length, level, checksum ? "on" : "off", (double) stored / original,
									(double) memory / baseline, nanos / 1e3 / heldOut.size());
						}
					}
				}
			}
		}
	}

	/**
	 * Compress the held-out values twice with one dictionary, level and checksum setting;
	 * the second round is the one measured (the first warms the JIT).
	 * @param codec the dictionary codec
	 * @param level the zstd level
	 * @param checksum whether the frame carries a checksum
	 * @param heldOut the values the dictionary was not trained on
	 * @param prefix the key prefix used for the Redis memory estimate
	 * @return the stored bytes, the estimated Redis memory and the nanoseconds taken
	 */
	private static long[] measure(ZstdDictionaryCodec codec, int level, boolean checksum, List<byte[]> heldOut,
			String prefix) {
		long stored = 0;
		long memory = 0;
		long nanos = 0;
		for (int round = 0; round < 2; round++) {
			stored = 0;
			memory = 0;
			long start = System.nanoTime();
			for (int i = 0; i < heldOut.size(); i++) {
				byte[] value = heldOut.get(i);
				int length = value.length;
				if (value.length >= MIN_SIZE) {
					byte[] payload = codec.compress(value, level, 0, value.length);
					int candidate = (payload != null)
							? WireFormat.headerLength(value.length, codec.id(), checksum) + payload.length
							: Integer.MAX_VALUE;
					length = (candidate <= value.length * MAX_RATIO) ? candidate : value.length;
				}
				stored += length;
				memory += RedisMemoryEstimate.perKey(prefix + (2 * i + 1), length);
			}
			nanos = System.nanoTime() - start;
		}
		return new long[] { stored, memory, nanos };
	}

	private static List<Integer> ints(String list) {
		List<Integer> result = new ArrayList<>();
		for (String item : list.split(",")) {
			result.add(Integer.parseInt(item.trim()));
		}
		return result;
	}

}
