package io.github.compressredis.cli;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What {@code advise} found: per key pattern and in total, what the values are and what
 * each codec would save. Rendered as a table, JSON or an HTML page by
 * {@link AdviceReport}.
 *
 * @param redis the Redis sampled (password masked)
 * @param totalKeys keys in the database (every master)
 * @param sampledKeys keys sampled
 * @param seconds time spent sampling
 * @param patterns per key pattern, most memory first
 * @param total the totals, estimated for every key
 * @param notes what the recommendation cannot express, and other caveats
 * @param yaml the recommended {@code compress.redis} configuration
 * @author compress-redis contributors
 */
record Advice(String redis, long totalKeys, long sampledKeys, double seconds, List<PatternAdvice> patterns,
		PatternAdvice total, List<String> notes, String yaml) {

	/**
	 * One key pattern.
	 *
	 * @param pattern the pattern ({@code *} for ids)
	 * @param sampledKeys keys of the pattern in the sample
	 * @param estimatedKeys keys estimated in the database
	 * @param formats what the sampled values are now, by label ({@code plain},
	 * {@code compress-redis/zstd}, ...)
	 * @param sizes the stored sizes of the sampled values (strings and hash fields)
	 * @param memoryBefore estimated sum of MEMORY USAGE now
	 * @param estimates per candidate codec
	 */
	record PatternAdvice(String pattern, long sampledKeys, long estimatedKeys, Map<String, Long> formats, Sizes sizes,
			long memoryBefore, List<Estimate> estimates) {

		@Nullable Estimate estimate(String codec) {
			return this.estimates.stream()
				.filter((estimate) -> estimate.codec().equals(codec))
				.findFirst()
				.orElse(null);
		}

	}

	/**
	 * Stored value sizes in bytes.
	 *
	 * @param count values measured
	 * @param p50 median
	 * @param p90 90th percentile
	 * @param max largest
	 * @param mean mean
	 */
	record Sizes(long count, long p50, long p90, long max, long mean) {

	}

	/**
	 * What one codec would do.
	 *
	 * @param codec the candidate, e.g. {@code zstd:3} or {@code zstd:3+dictionary}
	 * @param storedRatio stored bytes after over the values' original bytes
	 * @param memoryAfter estimated sum of MEMORY USAGE after
	 * @param memorySaved estimated bytes of Redis memory saved
	 * @param savedShare {@code memorySaved} over the memory now
	 * @param note how it was measured, when that differs from the others
	 */
	record Estimate(String codec, double storedRatio, long memoryAfter, long memorySaved, double savedShare,
			@Nullable String note) {

	}

}
