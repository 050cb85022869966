package io.github.compressredis.cli;

import io.github.compressredis.core.policy.CompressionPolicy;
import picocli.CommandLine.Option;

/**
 * The thresholds a value is written with, as the starter's {@code min-size} and
 * {@code max-ratio}.
 *
 * @author compress-redis contributors
 */
class PolicyOptions {

	@Option(names = "--min-size", defaultValue = "192", paramLabel = "BYTES",
			description = "Values shorter than this stay plain, as compress.redis.min-size (default: ${DEFAULT-VALUE}).")
	int minSize = CompressionPolicy.DEFAULT_MIN_SIZE;

	@Option(names = "--max-ratio", defaultValue = "0.9", paramLabel = "RATIO",
			description = "Keep the compressed form only if at most this share of the original, as compress.redis.max-ratio (default: ${DEFAULT-VALUE}).")
	double maxRatio = CompressionPolicy.DEFAULT_MAX_RATIO;

}
