package io.github.compressredis.cli;

import java.util.Locale;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicy;
import org.jspecify.annotations.Nullable;

/**
 * What {@code migrate --to} converts values to: {@code plain}, or a codec and level such
 * as {@code zstd:3}.
 *
 * @param algorithm the codec, {@link Algorithm#NONE} for plain
 * @param level the level, {@code null} for the codec's default
 * @author compress-redis contributors
 */
record Target(Algorithm algorithm, @Nullable Integer level) {

	static Target parse(String text) {
		String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", 2);
		try {
			if (parts[0].equals("plain") || parts[0].equals("none")) {
				return new Target(Algorithm.NONE, null);
			}
			Algorithm algorithm = Algorithm.forName(parts[0]);
			Integer level = (parts.length > 1) ? Integer.valueOf(parts[1]) : null;
			if (level != null && !algorithm.isValidLevel(level)) {
				throw new IllegalArgumentException("level " + level + " is out of range for " + algorithm.tag() + " ("
						+ algorithm.minLevel() + ".." + algorithm.maxLevel() + ")");
			}
			return new Target(algorithm, level);
		}
		catch (IllegalArgumentException ex) {
			throw new CliException(CliException.USAGE, "--to '" + text + "': " + ex.getMessage()
					+ ". Use plain, or zstd[:level], lz4[:level], gzip[:level], deflate[:level], snappy");
		}
	}

	boolean plain() {
		return this.algorithm == Algorithm.NONE;
	}

	CompressionPolicy policy(int minSize, double maxRatio, int maxDecompressedSize) {
		return CompressionPolicy.builder()
			.algorithm(this.algorithm)
			.level(this.level)
			.minSize(minSize)
			.maxRatio(maxRatio)
			.maxDecompressedSize(maxDecompressedSize)
			.build();
	}

	@Override
	public String toString() {
		return plain() ? "plain" : this.algorithm.tag() + ((this.level != null) ? ":" + this.level : "");
	}

}
