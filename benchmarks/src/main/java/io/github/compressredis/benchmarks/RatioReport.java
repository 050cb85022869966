package io.github.compressredis.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.github.compressredis.testsupport.corpus.Corpus;

/**
 * Compresses every value of every corpus file with every benchmarked codec once, checks
 * each round trip, and reports the compression ratio and the mean original and stored
 * sizes (which the report script needs to turn values per second into MB/s and to judge
 * allocation per value). Prints a Markdown table and writes {@code ratios.csv} to the
 * results directory.
 * <p>
 * Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.compressredis.benchmarks.RatioReport
 * [--files a.jsonl,b.jsonl] [--codecs x,y]}; by default every file and the subsets of
 * values of at least 4 KB of mdn-bcd.jsonl and cities-by-country.jsonl
 * ({@code name@4096}).
 *
 * @author compress-redis contributors
 */
public final class RatioReport {

	private RatioReport() {
	}

	public static void main(String[] args) {
		List<String> files = new ArrayList<>(Corpus.FILES);
		files.addAll(Corpus.LARGE_SUBSETS);
		List<String> codecs = CodecUnderTest.NAMES;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--files" -> files = List.of(args[++i].split(","));
				case "--codecs" -> codecs = List.of(args[++i].split(","));
				default -> throw new IllegalArgumentException("Unknown argument " + args[i]
						+ "; usage: RatioReport [--files a.jsonl,b.jsonl] [--codecs x,y]");
			}
		}
		List<String> csv = new ArrayList<>();
		csv.add("file,codec,values,original_bytes,stored_bytes,ratio,mean_original_bytes,mean_stored_bytes,"
				+ "stored_plain_values,skipped_values,max_value_bytes");
		System.out.println(
				"| file | codec | values | original bytes | stored bytes | ratio | mean stored B | stored plain |");
		System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
		for (String file : files) {
			List<byte[]> all = Corpus.values(file);
			for (String name : codecs) {
				try (CodecUnderTest codec = CodecUnderTest.create(name)) {
					List<byte[]> values = codec.usable(all);
					if (values.isEmpty()) {
						System.out.printf(Locale.ROOT, "| %s | %s | 0 (of %d) | - | - | - | - | - |%n", file, name,
								all.size());
						continue;
					}
					long original = Corpus.totalBytes(values);
					int skipped = all.size() - values.size();
					int[] storedLengths = new int[values.size()];
					List<Object> prepared = CodecUnderTest.prepareAll(codec, values, storedLengths);
					try {
						for (int i = 0; i < values.size(); i++) {
							if (!Arrays.equals(codec.decompress(prepared.get(i)), values.get(i))) {
								throw new IllegalStateException(
										name + " does not round-trip value " + i + " of " + file);
							}
						}
					}
					finally {
						codec.release(prepared);
					}
					long stored = Arrays.stream(storedLengths).asLongStream().sum();
					double ratio = (double) original / stored;
					long plain = codec.storedPlainCount();
					csv.add(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.4f,%.2f,%.2f,%d,%d,%d", file, name,
							values.size(), original, stored, ratio, (double) original / values.size(),
							(double) stored / values.size(), plain, skipped,
							(skipped > 0) ? codec.maxValueLength() : -1));
					System.out.printf(Locale.ROOT, "| %s | %s | %d%s | %d | %d | %.2f | %.1f | %s |%n", file, name,
							values.size(),
							(skipped > 0) ? " (of " + all.size() + ", <= " + codec.maxValueLength() + " B)" : "",
							original, stored, ratio, (double) stored / values.size(),
							(plain < 0) ? "-" : Long.toString(plain));
				}
			}
		}
		Results.write("ratios.csv", csv);
	}

}
