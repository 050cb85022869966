package io.github.compressredis.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.dictionary.DictionaryTarget;
import io.github.compressredis.core.internal.dictionary.InMemoryDictionaryStore;
import io.github.compressredis.core.internal.stats.RedisMemoryEstimate;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;

/**
 * Turns sampled keys into {@link Advice}: each value is decoded (whatever it is now) and
 * encoded with each candidate through the core's {@link ValueCompressor}, exactly as the
 * starter and {@code migrate} would write it; a string key's memory after is
 * {@link RedisMemoryEstimate}'s model of {@code MEMORY USAGE} for the new length (a key
 * left as it is keeps its measured memory); a hash loses what its fields shrink by.
 * Estimates for the database scale the sample by keys in the database over keys sampled.
 *
 * @author compress-redis contributors
 */
final class Advisor {

	static final String DICTIONARY = "zstd:3+dictionary";

	static final List<String> CANDIDATES = List.of("zstd:1", "zstd:3", "lz4", "gzip:6");

	/**
	 * At least this many string values of a pattern to train a dictionary on half and
	 * measure the rest.
	 */
	static final int DICTIONARY_MIN_VALUES = 40;

	private static final int MAX_PATTERNS = 40;

	private final CodecRegistry codecs;

	private final ValueReader reader;

	private final int minSize;

	private final double maxRatio;

	private final int maxDecompressedSize;

	Advisor(CodecRegistry codecs, ValueReader reader, int minSize, double maxRatio, int maxDecompressedSize) {
		this.codecs = codecs;
		this.reader = reader;
		this.minSize = minSize;
		this.maxRatio = maxRatio;
		this.maxDecompressedSize = maxDecompressedSize;
	}

	Advice advise(String redis, long totalKeys, List<Sample> samples, double seconds) {
		Map<String, List<Sample>> byPattern = new LinkedHashMap<>();
		for (Sample sample : samples) {
			byPattern.computeIfAbsent(KeyPatterns.of(sample.key()), (pattern) -> new ArrayList<>()).add(sample);
		}
		double scale = samples.isEmpty() ? 0 : (double) totalKeys / samples.size();
		Map<String, ValueCompressor> compressors = new LinkedHashMap<>();
		for (String candidate : CANDIDATES) {
			compressors.put(candidate, compressor(Target.parse(candidate)));
		}
		List<Accumulator> accumulators = new ArrayList<>();
		for (Map.Entry<String, List<Sample>> entry : byPattern.entrySet()) {
			accumulators.add(measure(entry.getKey(), entry.getValue(), compressors));
		}
		accumulators.sort(Comparator.comparingLong((Accumulator a) -> a.memoryBefore).reversed());
		if (accumulators.size() > MAX_PATTERNS) {
			Accumulator rest = new Accumulator("(other patterns)");
			accumulators.subList(MAX_PATTERNS - 1, accumulators.size()).forEach(rest::merge);
			accumulators = new ArrayList<>(accumulators.subList(0, MAX_PATTERNS - 1));
			accumulators.add(rest);
		}
		Accumulator total = new Accumulator("(total)");
		accumulators.forEach(total::merge);
		List<Advice.PatternAdvice> patterns = accumulators.stream().map((a) -> a.advice(scale)).toList();
		Advice.PatternAdvice totals = total.advice(scale);
		List<String> notes = new ArrayList<>();
		String yaml = Recommendation.yaml(patterns, totals, notes, this.minSize, this.maxRatio);
		return new Advice(redis, totalKeys, samples.size(), seconds, patterns, totals, notes, yaml);
	}

	private ValueCompressor compressor(Target target) {
		CompressionPolicy policy = target.policy(this.minSize, this.maxRatio, this.maxDecompressedSize);
		return new ValueCompressor(new CompressionPolicyHolder(policy), this.codecs, new CompressionStats());
	}

	private Accumulator measure(String pattern, List<Sample> samples, Map<String, ValueCompressor> compressors) {
		Accumulator accumulator = new Accumulator(pattern);
		List<Sample> strings = new ArrayList<>();
		for (Sample sample : samples) {
			accumulator.keys++;
			accumulator.memoryBefore += sample.memory();
			if (!sample.string() && sample.values().isEmpty()) {
				accumulator.format(sample.type());
				for (String candidate : compressors.keySet()) {
					accumulator.add(candidate, sample.memory(), 0, 0);
				}
				continue;
			}
			if (sample.string()) {
				strings.add(sample);
			}
			long[] savedByCandidate = new long[compressors.size()];
			boolean[] unchanged = new boolean[compressors.size()];
			long[] storedByCandidate = new long[compressors.size()];
			long originalBytes = 0;
			boolean unreadable = false;
			for (byte[] stored : sample.values()) {
				accumulator.sizes.add((long) stored.length);
				ValueReader.Reading reading = this.reader.read(stored);
				accumulator.format(reading.label());
				byte[] original = reading.original();
				if (original == null) {
					unreadable = true;
					original = stored;
				}
				originalBytes += original.length;
				int i = 0;
				for (ValueCompressor compressor : compressors.values()) {
					byte[] written = unreadable ? stored : compressor.compress(original);
					storedByCandidate[i] += written.length;
					savedByCandidate[i] += stored.length - written.length;
					unchanged[i] = Arrays.equals(written, stored);
					i++;
				}
			}
			int i = 0;
			for (String candidate : compressors.keySet()) {
				long after;
				if (sample.string()) {
					after = (unchanged[i]) ? sample.memory()
							: RedisMemoryEstimate.perKey(sample.key(), (int) storedByCandidate[i]);
				}
				else {
					after = sample.memory() - savedByCandidate[i];
				}
				accumulator.add(candidate, after, storedByCandidate[i], originalBytes);
				i++;
			}
		}
		dictionary(accumulator, strings);
		return accumulator;
	}

	/**
	 * Train a dictionary the way the starter does on the even-numbered string values and
	 * measure it on the odd-numbered ones, which it never saw.
	 * @param accumulator where the dictionary's results are added
	 * @param strings the sampled string values
	 */
	private void dictionary(Accumulator accumulator, List<Sample> strings) {
		List<byte[]> originals = new ArrayList<>();
		List<Sample> kept = new ArrayList<>();
		for (Sample sample : strings) {
			byte[] original = this.reader.read(sample.values().get(0)).original();
			if (original != null) {
				originals.add(original);
				kept.add(sample);
			}
		}
		if (originals.size() < DICTIONARY_MIN_VALUES) {
			return;
		}
		DictionarySettings defaults = DictionarySettings.defaults();
		int offered = (originals.size() + 1) / 2;
		// one slot more than offered: the reservoir never fills, so only check() below
		// trains
		DictionarySettings settings = new DictionarySettings(1, Math.max(20, offered + 1), defaults.maxSampleSize(),
				defaults.dictionarySize(), defaults.level(), defaults.minSize(), defaults.minImprovement(),
				defaults.driftThreshold(), Duration.ofHours(1), Duration.ofHours(1));
		Logger dictionaryLogger = Logger.getLogger("io.github.compressredis.core.dictionary");
		Level previous = dictionaryLogger.getLevel();
		dictionaryLogger.setLevel(Level.WARNING);
		try (DictionaryRegistry registry = new DictionaryRegistry(new InMemoryDictionaryStore(), settings)) {
			DictionaryTarget target = registry.target(accumulator.pattern);
			CompressionPolicy policy = Target.parse("zstd:3")
				.policy(this.minSize, this.maxRatio, this.maxDecompressedSize);
			int level = target.writeLevel(policy.level());
			for (int i = 0; i < originals.size(); i += 2) {
				target.offer(originals.get(i), level);
			}
			target.check();
			ValueCompressor compressor = new ValueCompressor(new CompressionPolicyHolder(policy), this.codecs,
					new CompressionStats(), null, registry, target);
			for (int i = 1; i < originals.size(); i += 2) {
				Sample sample = kept.get(i);
				byte[] stored = sample.values().get(0);
				byte[] written = compressor.compress(originals.get(i));
				long after = Arrays.equals(written, stored) ? sample.memory()
						: RedisMemoryEstimate.perKey(sample.key(), written.length);
				accumulator.heldOut(sample.memory(), after, written.length, originals.get(i).length);
			}
		}
		finally {
			dictionaryLogger.setLevel(previous);
		}
	}

	/**
	 * A sampled key.
	 *
	 * @param key the key
	 * @param type its Redis type
	 * @param memory its MEMORY USAGE
	 * @param values the string value, or the sampled hash fields' values; empty for other
	 * types
	 */
	record Sample(String key, String type, long memory, List<byte[]> values) {

		boolean string() {
			return "string".equals(this.type);
		}

		static Sample of(byte[] key, String type, long memory, List<byte[]> values) {
			return new Sample(new String(key, StandardCharsets.UTF_8), type, memory, values);
		}

	}

	/** Sums for one pattern (or several merged). */
	private static final class Accumulator {

		final String pattern;

		long keys;

		long memoryBefore;

		final List<Long> sizes = new ArrayList<>();

		final Map<String, Long> formats = new TreeMap<>();

		final Map<String, long[]> candidates = new LinkedHashMap<>();

		/**
		 * Held-out memory before and after, stored and original bytes, with the
		 * dictionary.
		 */
		final long[] dictionary = new long[4];

		Accumulator(String pattern) {
			this.pattern = pattern;
		}

		void format(String label) {
			this.formats.merge(label, 1L, Long::sum);
		}

		void add(String candidate, long memoryAfter, long stored, long original) {
			long[] sums = this.candidates.computeIfAbsent(candidate, (c) -> new long[3]);
			sums[0] += memoryAfter;
			sums[1] += stored;
			sums[2] += original;
		}

		void heldOut(long before, long after, long stored, long original) {
			this.dictionary[0] += before;
			this.dictionary[1] += after;
			this.dictionary[2] += stored;
			this.dictionary[3] += original;
		}

		void merge(Accumulator other) {
			this.keys += other.keys;
			this.memoryBefore += other.memoryBefore;
			this.sizes.addAll(other.sizes);
			other.formats.forEach((label, count) -> this.formats.merge(label, count, Long::sum));
			other.candidates.forEach((candidate, sums) -> add(candidate, sums[0], sums[1], sums[2]));
			// held-out sums stand for the whole pattern; a pattern without a dictionary
			// counts as zstd:3
			long[] d = other.dictionary;
			long[] zstd3 = other.candidates.get("zstd:3");
			if (d[0] > 0) {
				heldOut(other.memoryBefore, Math.round(other.memoryBefore * ((double) d[1] / d[0])), d[2], d[3]);
			}
			else if (zstd3 != null) {
				heldOut(other.memoryBefore, zstd3[0], zstd3[1], zstd3[2]);
			}
			else {
				heldOut(other.memoryBefore, other.memoryBefore, 0, 0);
			}
		}

		Advice.PatternAdvice advice(double scale) {
			long before = Math.round(this.memoryBefore * scale);
			List<Advice.Estimate> estimates = new ArrayList<>();
			this.candidates.forEach((candidate, sums) -> estimates
				.add(estimate(candidate, before, Math.round(sums[0] * scale), sums[1], sums[2], null)));
			if (this.dictionary[0] > 0) {
				long after = Math.round(before * ((double) this.dictionary[1] / this.dictionary[0]));
				estimates.add(estimate(DICTIONARY, before, after, this.dictionary[2], this.dictionary[3],
						"dictionary trained on half the sampled strings, measured on the other half"));
			}
			return new Advice.PatternAdvice(this.pattern, this.keys, Math.round(this.keys * scale),
					new LinkedHashMap<>(this.formats), sizes(), before, estimates);
		}

		private static Advice.Estimate estimate(String codec, long before, long after, long stored, long original,
				String note) {
			double ratio = (original > 0) ? (double) stored / original : 1.0;
			return new Advice.Estimate(codec, round(ratio), after, before - after,
					(before > 0) ? round((double) (before - after) / before) : 0, note);
		}

		private Advice.Sizes sizes() {
			if (this.sizes.isEmpty()) {
				return new Advice.Sizes(0, 0, 0, 0, 0);
			}
			List<Long> sorted = new ArrayList<>(this.sizes);
			sorted.sort(null);
			long sum = sorted.stream().mapToLong(Long::longValue).sum();
			return new Advice.Sizes(sorted.size(), percentile(sorted, 0.5), percentile(sorted, 0.9),
					sorted.get(sorted.size() - 1), sum / sorted.size());
		}

		private static long percentile(List<Long> sorted, double p) {
			return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
		}

		private static double round(double value) {
			return Double.parseDouble(String.format(Locale.ROOT, "%.4f", value));
		}

	}

}
