package io.github.compressredis.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.testsupport.corpus.Corpus;

/**
 * Measures, on the shared corpus, the stored size of every value through
 * {@link ValueCompressor} (header and checksum included) for each codec, and the saving
 * by value size that chose the default {@code min-size} and {@code max-ratio}. Prints
 * Markdown.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.compressredis.benchmarks.CorpusRatioReport}
 *
 * @author compress-redis contributors
 */
public final class CorpusRatioReport {

	private static final String[][] CODECS = { { "zstd", "-1" }, { "zstd", "1" }, { "zstd", "3" }, { "zstd", "9" },
			{ "lz4", "0" }, { "lz4", "9" }, { "gzip", "6" }, { "deflate", "6" }, { "snappy", "0" } };

	private static final List<String> DICTIONARY_FILES = List.of("emoji.jsonl", "city.jsonl");

	private static final int[] BUCKETS = { 0, 32, 64, 96, 128, 192, 256, 512, 1024, 4096, 16384, Integer.MAX_VALUE };

	private CorpusRatioReport() {
	}

	public static void main(String[] args) {
		List<String> files = Corpus.FILES.stream().sorted().toList();
		System.out.println("## Stored size / original size per corpus file (min-size 0, max-ratio 1.0, checksum on)");
		System.out.println();
		StringBuilder header = new StringBuilder("| file | values | original bytes |");
		StringBuilder rule = new StringBuilder("|---|---:|---:|");
		for (String[] codec : CODECS) {
			header.append(' ').append(codec[0]).append(' ').append(codec[1]).append(" |");
			rule.append("---:|");
		}
		System.out.println(header);
		System.out.println(rule);
		List<byte[]> all = new ArrayList<>();
		for (String file : files) {
			List<byte[]> values = Corpus.values(file);
			all.addAll(values);
			long original = values.stream().mapToLong((value) -> value.length).sum();
			StringBuilder row = new StringBuilder("| " + file + " | " + values.size() + " | " + original + " |");
			for (String[] codec : CODECS) {
				ValueCompressor compressor = compressor(Algorithm.forName(codec[0]), Integer.parseInt(codec[1]), 0,
						1.0);
				long stored = 0;
				for (byte[] value : values) {
					stored += compressor.compress(value).length;
				}
				row.append(String.format(Locale.ROOT, " %.3f |", (double) stored / original));
			}
			System.out.println(row);
		}
		System.out.println();
		DictionarySettings settings = DictionarySettings.defaults();
		System.out.println("## With and without a trained dictionary: policy zstd 3, dictionary settings by default ("
				+ settings.dictionarySize() / 1024 + " KB written at level " + settings.level()
				+ "), trained on up to 2,000 of the file's even-numbered values; default min-size and max-ratio,"
				+ " checksum on");
		System.out.println();
		System.out.println("| file | values | median size | without dictionary | with dictionary | with / without |");
		System.out.println("|---|---:|---:|---:|---:|---:|");
		for (String file : DICTIONARY_FILES) {
			List<byte[]> values = Corpus.values(file);
			ValueCompressor plain = compressor(Algorithm.ZSTD, 3, CompressionPolicy.defaults().minSize(),
					CompressionPolicy.defaults().maxRatio());
			ValueCompressor dictionary = Dictionaries.trained(file, values, Dictionaries.zstd(3,
					CompressionPolicy.defaults().minSize(), CompressionPolicy.defaults().maxRatio()));
			long original = 0;
			long without = 0;
			long with = 0;
			for (byte[] value : values) {
				original += value.length;
				without += plain.compress(value).length;
				with += dictionary.compress(value).length;
			}
			int[] sizes = values.stream().mapToInt((value) -> value.length).sorted().toArray();
			System.out.printf(Locale.ROOT, "| %s | %d | %d B | %.3f | %.3f | %.2fx |%n", file, values.size(),
					sizes[sizes.length / 2], (double) without / original, (double) with / original,
					(double) with / without);
		}
		System.out.println();
		System.out.println("## Saving by value size, zstd 3 with checksum (all corpus files)");
		System.out.println();
		System.out.println("| value size | values | stored / original | values saving >= 10% | mean ns to compress |");
		System.out.println("|---|---:|---:|---:|---:|");
		ValueCompressor zstd = compressor(Algorithm.ZSTD, 3, 0, 1.0);
		for (int b = 0; b + 1 < BUCKETS.length; b++) {
			int low = BUCKETS[b];
			int high = BUCKETS[b + 1];
			List<byte[]> bucket = all.stream().filter((value) -> value.length >= low && value.length < high).toList();
			if (bucket.isEmpty()) {
				continue;
			}
			long original = 0;
			long stored = 0;
			int saving = 0;
			for (byte[] value : bucket) {
				int length = zstd.compress(value).length;
				original += value.length;
				stored += length;
				if (length <= value.length * 0.9) {
					saving++;
				}
			}
			long start = System.nanoTime();
			int rounds = (int) Math.max(1, 2_000_000 / Math.max(1, original));
			for (int r = 0; r < rounds; r++) {
				for (byte[] value : bucket) {
					zstd.compress(value);
				}
			}
			double nanos = (double) (System.nanoTime() - start) / ((long) rounds * bucket.size());
			String range = (high == Integer.MAX_VALUE) ? ">= " + low + " B" : low + "-" + (high - 1) + " B";
			System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.1f%% | %.0f |%n", range, bucket.size(),
					(double) stored / original, 100.0 * saving / bucket.size(), nanos);
		}
	}

	private static ValueCompressor compressor(Algorithm algorithm, int level, int minSize, double maxRatio) {
		CompressionPolicy policy = CompressionPolicy.builder()
			.algorithm(algorithm)
			.level(level)
			.minSize(minSize)
			.maxRatio(maxRatio)
			.checksum(true)
			.build();
		return new ValueCompressor(new CompressionPolicyHolder(policy), new CodecRegistry(), new CompressionStats());
	}

}
