package io.github.compressredis.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.dictionary.DictionaryTarget;
import io.github.compressredis.core.dictionary.TrainingOutcome;
import io.github.compressredis.core.internal.dictionary.InMemoryDictionaryStore;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.testsupport.corpus.Corpus;

/**
 * Dictionary-enabled compressors for the benchmarks, trained the way an application
 * trains them: a target offered a sample of the file's values trains a dictionary and
 * publishes it only if it beats plain zstd on held-out samples; a second registry, with
 * the default (1 in 100) sampling, adopts it and serves the writes. Only even-numbered
 * values are offered (up to 2,000, spread over them), so the odd-numbered ones measure
 * what the dictionary does for values it never saw.
 *
 * @author compress-redis contributors
 */
final class Dictionaries {

	static final int SAMPLES = 2000;

	private Dictionaries() {
	}

	/**
	 * Return a zstd compressor that writes with a dictionary trained on the values, with
	 * the default dictionary settings.
	 * @param name the target name
	 * @param values the values to sample
	 * @param policy the policy (zstd)
	 * @return the compressor; its dictionary is {@code null} if training did not improve
	 * the ratio
	 */
	static ValueCompressor trained(String name, List<byte[]> values, CompressionPolicy policy) {
		return trained(name, values, policy, DictionarySettings.defaults());
	}

	/**
	 * Return a zstd compressor that writes with a dictionary trained on the values.
	 * @param name the target name
	 * @param values the values to sample
	 * @param policy the policy (zstd)
	 * @param settings the dictionary settings (size, level, min-size; sampling is the
	 * benchmark's)
	 * @return the compressor; its dictionary is {@code null} if training did not improve
	 * the ratio
	 */
	static ValueCompressor trained(String name, List<byte[]> values, CompressionPolicy policy,
			DictionarySettings settings) {
		InMemoryDictionaryStore store = new InMemoryDictionaryStore();
		// one more slot than samples offered: the reservoir never fills, so only check()
		// below trains
		DictionarySettings training = new DictionarySettings(1, SAMPLES + 1, settings.maxSampleSize(),
				settings.dictionarySize(), settings.level(), settings.minSize(), settings.minImprovement(),
				settings.driftThreshold(), Duration.ofHours(1), Duration.ofHours(1));
		try (DictionaryRegistry trainer = new DictionaryRegistry(store, training)) {
			DictionaryTarget target = trainer.target(name);
			int level = target.writeLevel(policy.level());
			for (byte[] value : Corpus.spread(evenNumbered(values), SAMPLES)) {
				target.offer(value, level);
			}
			TrainingOutcome outcome = target.check();
			System.err.println(
					name + ": training " + ((outcome != null) ? outcome.tag() : "not needed") + ", " + target.status());
		}
		DictionaryRegistry registry = new DictionaryRegistry(store, settings);
		DictionaryTarget target = registry.target(name);
		registry.refresh();
		return ValueCompressor.builder()
			.policy(policy)
			.codecs(new CodecRegistry())
			.dictionaries(registry)
			.dictionaryTarget(target)
			.build();
	}

	static CompressionPolicy zstd(int level, int minSize, double maxRatio) {
		return CompressionPolicy.builder()
			.algorithm(Algorithm.ZSTD)
			.level(level)
			.minSize(minSize)
			.maxRatio(maxRatio)
			.checksum(true)
			.build();
	}

	private static List<byte[]> evenNumbered(List<byte[]> values) {
		List<byte[]> even = new ArrayList<>((values.size() + 1) / 2);
		for (int i = 0; i < values.size(); i += 2) {
			even.add(values.get(i));
		}
		return even;
	}

}
