package io.github.compressredis.core.dictionary;

import java.time.Duration;
import java.util.Objects;

import io.github.compressredis.core.codec.Algorithm;

/**
 * How dictionaries are sampled, trained, adopted and used. Refusals name the field as the
 * {@code compress.redis.dictionary} property it is bound from.
 *
 * @param sampleRate one write in this many offers its value as a sample
 * @param samples reservoir size: samples kept per target, and how many must be seen
 * before training
 * @param maxSampleSize values longer than this are neither sampled nor written with the
 * dictionary (they compress well without one, at the policy's level)
 * @param dictionarySize size of a trained dictionary in bytes
 * @param level zstd level of values written with a dictionary, or 0 for the policy's
 * level
 * @param minSize values at least this long are compressed when the target has a
 * dictionary
 * @param minImprovement a new dictionary is published only if it shrinks held-out samples
 * by this share more
 * @param driftThreshold retrain when held-out samples grow by this share against the
 * ratio at training
 * @param retrainInterval at most one training (or drift check) per target per interval
 * @param pollInterval how often the current dictionary of each target is read from the
 * store
 * @author compress-redis contributors
 */
public record DictionarySettings(int sampleRate, int samples, int maxSampleSize, int dictionarySize, int level,
		int minSize, double minImprovement, double driftThreshold, Duration retrainInterval, Duration pollInterval) {

	/**
	 * Default dictionary size: 64 KB (see BENCHMARKS.md, "zstd trained dictionaries").
	 */
	public static final int DEFAULT_DICTIONARY_SIZE = 64 * 1024;

	/**
	 * Default level of values written with a dictionary: 12. On the corpus's 100 to 400
	 * byte values it stores 5 to 10% less than level 3 at 4 to 13 µs a value; level 19
	 * takes about 6 times as long for 2% less on emoji.jsonl and stores more on
	 * city.jsonl (BENCHMARKS.md).
	 */
	public static final int DEFAULT_LEVEL = 12;

	public DictionarySettings {
		check(sampleRate >= 1, "'sample-rate' must be at least 1");
		check(samples >= 20, "'samples' must be at least 20");
		check(maxSampleSize >= 16, "'max-sample-size' must be at least 16 bytes");
		check(dictionarySize >= 256 && dictionarySize <= 1024 * 1024, "'size' must be between 256 bytes and 1 MB");
		check(level == 0 || (level >= Algorithm.ZSTD.minLevel() && level <= Algorithm.ZSTD.maxLevel()),
				"'level' must be 0 (the policy's level) or a zstd level from " + Algorithm.ZSTD.minLevel() + " to "
						+ Algorithm.ZSTD.maxLevel());
		check(minSize >= 0, "'min-size' must not be negative");
		check(minImprovement >= 0 && minImprovement < 1, "'min-improvement' must be in [0, 1)");
		check(driftThreshold >= 0, "'drift-threshold' must not be negative");
		Objects.requireNonNull(retrainInterval, "'retrain-interval' must not be null");
		Objects.requireNonNull(pollInterval, "'poll-interval' must not be null");
		check(!retrainInterval.isNegative(), "'retrain-interval' must not be negative");
		check(!pollInterval.isNegative() && !pollInterval.isZero(), "'poll-interval' must be positive");
	}

	/**
	 * Return the defaults: 1 write in 100 sampled, 2,000 samples up to 16 KB each, 64 KB
	 * dictionaries written at zstd level 12 and used from 32 bytes, 5% improvement to
	 * publish, 10% drift to retrain, at most one training an hour, the store polled every
	 * 30 seconds.
	 * @return the defaults
	 */
	public static DictionarySettings defaults() {
		return new DictionarySettings(100, 2000, 16 * 1024, DEFAULT_DICTIONARY_SIZE, DEFAULT_LEVEL, 32, 0.05, 0.1,
				Duration.ofHours(1), Duration.ofSeconds(30));
	}

	/**
	 * Return these settings with another dictionary size.
	 * @param dictionarySize size of a trained dictionary in bytes
	 * @return the new settings
	 */
	public DictionarySettings withDictionarySize(int dictionarySize) {
		return new DictionarySettings(this.sampleRate, this.samples, this.maxSampleSize, dictionarySize, this.level,
				this.minSize, this.minImprovement, this.driftThreshold, this.retrainInterval, this.pollInterval);
	}

	/**
	 * Return these settings with another level for values written with a dictionary.
	 * @param level the zstd level, or 0 for the policy's level
	 * @return the new settings
	 */
	public DictionarySettings withLevel(int level) {
		return new DictionarySettings(this.sampleRate, this.samples, this.maxSampleSize, this.dictionarySize, level,
				this.minSize, this.minImprovement, this.driftThreshold, this.retrainInterval, this.pollInterval);
	}

	/**
	 * Return the zstd level of a value written with a dictionary.
	 * @param policyLevel the policy's level
	 * @return {@link #level()}, or the policy's level when that is 0
	 */
	public int writeLevel(int policyLevel) {
		return (this.level != 0) ? this.level : policyLevel;
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

}
