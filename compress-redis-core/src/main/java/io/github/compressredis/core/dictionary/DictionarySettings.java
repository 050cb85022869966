package io.github.compressredis.core.dictionary;

import java.time.Duration;
import java.util.Objects;

/**
 * How dictionaries are sampled, trained, adopted and used.
 *
 * @param sampleRate one write in this many offers its value as a sample
 * @param samples reservoir size: samples kept per target, and how many must be seen before training
 * @param maxSampleSize values longer than this are not sampled (they compress well without a dictionary)
 * @param dictionarySize size of a trained dictionary in bytes
 * @param minSize values at least this long are compressed when the target has a dictionary
 * @param minImprovement a new dictionary is published only if it shrinks held-out samples by this share more
 * @param driftThreshold retrain when held-out samples grow by this share against the ratio at training
 * @param retrainInterval at most one training (or drift check) per target per interval
 * @param pollInterval how often the current dictionary of each target is read from the store
 */
public record DictionarySettings(int sampleRate, int samples, int maxSampleSize, int dictionarySize, int minSize,
		double minImprovement, double driftThreshold, Duration retrainInterval, Duration pollInterval) {

	public DictionarySettings {
		check(sampleRate >= 1, "'sampleRate' must be at least 1");
		check(samples >= 20, "'samples' must be at least 20");
		check(maxSampleSize >= 16, "'maxSampleSize' must be at least 16 bytes");
		check(dictionarySize >= 256 && dictionarySize <= 1024 * 1024,
				"'dictionarySize' must be between 256 bytes and 1 MB");
		check(minSize >= 0, "'minSize' must not be negative");
		check(minImprovement >= 0 && minImprovement < 1, "'minImprovement' must be in [0, 1)");
		check(driftThreshold >= 0, "'driftThreshold' must not be negative");
		Objects.requireNonNull(retrainInterval, "'retrainInterval' must not be null");
		Objects.requireNonNull(pollInterval, "'pollInterval' must not be null");
		check(!retrainInterval.isNegative(), "'retrainInterval' must not be negative");
		check(!pollInterval.isNegative() && !pollInterval.isZero(), "'pollInterval' must be positive");
	}

	/**
	 * Return the defaults: 1 write in 100 sampled, 2,000 samples up to 16 KB each, 16 KB
	 * dictionaries used from 32 bytes, 5% improvement to publish, 10% drift to retrain, at most
	 * one training an hour, the store polled every 30 seconds.
	 * @return the defaults
	 */
	public static DictionarySettings defaults() {
		return new DictionarySettings(100, 2000, 16 * 1024, 16 * 1024, 32, 0.05, 0.1, Duration.ofHours(1),
				Duration.ofSeconds(30));
	}

	private static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

}
