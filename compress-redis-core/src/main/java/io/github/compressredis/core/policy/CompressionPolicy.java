package io.github.compressredis.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.format.WireFormat;
import org.jspecify.annotations.Nullable;

/**
 * What to do with the values written: which algorithm and level, from which size, whether
 * it must save enough, whether to add a checksum, and how large a value a reader accepts.
 * Immutable; every instance is valid (the builder refuses anything else with a message
 * naming the field).
 *
 * @author compress-redis contributors
 */
public final class CompressionPolicy {

	/**
	 * Default {@code min-size}: values shorter than this are stored plain without trying.
	 * Measured on the shared corpus with zstd 3 (README, "Choosing the defaults"): no
	 * value under 128 bytes and only 4.6% of values of 128 to 191 bytes save 10%, against
	 * 85% of values of 192 to 255 bytes and all larger ones.
	 */
	public static final int DEFAULT_MIN_SIZE = 192;

	/**
	 * Default {@code max-ratio}: the compressed form is kept only when it is at most this
	 * share of the original, so a value that saves less than 10% is stored plain and
	 * costs no decompression on any later read.
	 */
	public static final double DEFAULT_MAX_RATIO = 0.9;

	/** Default {@code max-decompressed-size}: 64 MiB, far above typical Redis values. */
	public static final int DEFAULT_MAX_DECOMPRESSED_SIZE = 64 * 1024 * 1024;

	private static final CompressionPolicy DEFAULTS = builder().build();

	private final Algorithm algorithm;

	private final int level;

	private final int minSize;

	private final double maxRatio;

	private final boolean checksum;

	private final int maxDecompressedSize;

	private final int rolloutPercent;

	private final int writeVersion;

	private CompressionPolicy(Builder builder) {
		this.algorithm = builder.algorithm;
		this.level = (builder.level != null) ? builder.level : builder.algorithm.defaultLevel();
		this.minSize = builder.minSize;
		this.maxRatio = builder.maxRatio;
		this.checksum = builder.checksum;
		this.maxDecompressedSize = builder.maxDecompressedSize;
		this.rolloutPercent = builder.rolloutPercent;
		this.writeVersion = builder.writeVersion;
	}

	/**
	 * Return the default policy: zstd level 3 with the default thresholds and a checksum.
	 * @return the default policy
	 */
	public static CompressionPolicy defaults() {
		return DEFAULTS;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return a builder initialised with this policy's values.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder().algorithm(this.algorithm)
			.level(this.level)
			.minSize(this.minSize)
			.maxRatio(this.maxRatio)
			.checksum(this.checksum)
			.maxDecompressedSize(this.maxDecompressedSize)
			.rolloutPercent(this.rolloutPercent)
			.writeVersion(this.writeVersion);
	}

	public Algorithm algorithm() {
		return this.algorithm;
	}

	public int level() {
		return this.level;
	}

	public int minSize() {
		return this.minSize;
	}

	public double maxRatio() {
		return this.maxRatio;
	}

	public boolean checksum() {
		return this.checksum;
	}

	public int maxDecompressedSize() {
		return this.maxDecompressedSize;
	}

	/**
	 * Return the wire format version writers write (see {@code FORMAT.md}); readers read
	 * both.
	 * @return 1 (the default, read by every release) or 2
	 */
	public int writeVersion() {
		return this.writeVersion;
	}

	/**
	 * Return the share of writes, in percent, this policy applies to when it replaces
	 * another; the other writes keep the policy that was fully rolled out before. Reads
	 * never care.
	 * @return 1 to 100
	 */
	public int rolloutPercent() {
		return this.rolloutPercent;
	}

	/**
	 * Describe the fields that differ from another policy, for logs and the policy
	 * history.
	 * @param previous the policy this one replaces, or {@code null} for the first one
	 * @return for example {@code "algorithm lz4 -> zstd, level 0 -> 3"}
	 */
	public String describeChangesFrom(@Nullable CompressionPolicy previous) {
		if (previous == null) {
			return "initial policy " + this;
		}
		List<String> changes = new ArrayList<>();
		diff(changes, "algorithm", previous.algorithm.tag(), this.algorithm.tag());
		diff(changes, "level", previous.level, this.level);
		diff(changes, "min-size", previous.minSize, this.minSize);
		diff(changes, "max-ratio", previous.maxRatio, this.maxRatio);
		diff(changes, "checksum", previous.checksum, this.checksum);
		diff(changes, "max-decompressed-size", previous.maxDecompressedSize, this.maxDecompressedSize);
		diff(changes, "rollout-percent", previous.rolloutPercent, this.rolloutPercent);
		diff(changes, "write-version", previous.writeVersion, this.writeVersion);
		return changes.isEmpty() ? "no change" : String.join(", ", changes);
	}

	private static void diff(List<String> changes, String name, Object before, Object after) {
		if (!before.equals(after)) {
			changes.add(name + " " + before + " -> " + after);
		}
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		if (!(obj instanceof CompressionPolicy other)) {
			return false;
		}
		return this.algorithm == other.algorithm && this.level == other.level && this.minSize == other.minSize
				&& Double.compare(this.maxRatio, other.maxRatio) == 0 && this.checksum == other.checksum
				&& this.maxDecompressedSize == other.maxDecompressedSize && this.rolloutPercent == other.rolloutPercent
				&& this.writeVersion == other.writeVersion;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.algorithm, this.level, this.minSize, this.maxRatio, this.checksum,
				this.maxDecompressedSize, this.rolloutPercent, this.writeVersion);
	}

	@Override
	public String toString() {
		return "algorithm=" + this.algorithm.tag() + ", level=" + this.level + ", min-size=" + this.minSize
				+ ", max-ratio=" + this.maxRatio + ", checksum=" + this.checksum + ", max-decompressed-size="
				+ this.maxDecompressedSize
				+ ((this.rolloutPercent < 100) ? ", rollout-percent=" + this.rolloutPercent : "")
				+ ((this.writeVersion != WireFormat.VERSION) ? ", write-version=" + this.writeVersion : "");
	}

	/**
	 * Builds a {@link CompressionPolicy}, refusing invalid values with a message that
	 * names the field, the value and the valid range.
	 */
	public static final class Builder {

		private Algorithm algorithm = Algorithm.ZSTD;

		private @Nullable Integer level;

		private int minSize = DEFAULT_MIN_SIZE;

		private double maxRatio = DEFAULT_MAX_RATIO;

		private boolean checksum = true;

		private int maxDecompressedSize = DEFAULT_MAX_DECOMPRESSED_SIZE;

		private int rolloutPercent = 100;

		private int writeVersion = WireFormat.VERSION;

		private Builder() {
		}

		public Builder algorithm(Algorithm algorithm) {
			this.algorithm = Objects.requireNonNull(algorithm, "'algorithm' must not be null");
			return this;
		}

		/**
		 * Set the level; when never set, the algorithm's default level is used.
		 * @param level the level, within the algorithm's range
		 * @return this builder
		 */
		public Builder level(@Nullable Integer level) {
			this.level = level;
			return this;
		}

		public Builder minSize(long minSize) {
			if (minSize < 0 || minSize > WireFormat.MAX_ORIGINAL_LENGTH) {
				throw new IllegalArgumentException("'min-size' must be between 0 and " + WireFormat.MAX_ORIGINAL_LENGTH
						+ " bytes, was " + minSize);
			}
			this.minSize = (int) minSize;
			return this;
		}

		public Builder maxRatio(double maxRatio) {
			if (!(maxRatio > 0.0 && maxRatio <= 1.0)) {
				throw new IllegalArgumentException(
						"'max-ratio' must be above 0 and at most 1 (for example 0.9 keeps values that save 10% or more), was "
								+ maxRatio);
			}
			this.maxRatio = maxRatio;
			return this;
		}

		public Builder checksum(boolean checksum) {
			this.checksum = checksum;
			return this;
		}

		public Builder maxDecompressedSize(long maxDecompressedSize) {
			if (maxDecompressedSize < 1 || maxDecompressedSize > WireFormat.MAX_ORIGINAL_LENGTH) {
				throw new IllegalArgumentException("'max-decompressed-size' must be between 1 byte and "
						+ WireFormat.MAX_ORIGINAL_LENGTH + " bytes, was " + maxDecompressedSize);
			}
			this.maxDecompressedSize = (int) maxDecompressedSize;
			return this;
		}

		/**
		 * Set the share of writes the policy applies to while it is being rolled out.
		 * @param rolloutPercent 1 to 100 (100, the default, applies it to every write)
		 * @return this builder
		 */
		public Builder rolloutPercent(int rolloutPercent) {
			if (rolloutPercent < 1 || rolloutPercent > 100) {
				throw new IllegalArgumentException(
						"'rollout-percent' must be between 1 and 100, was " + rolloutPercent);
			}
			this.rolloutPercent = rolloutPercent;
			return this;
		}

		/**
		 * Set the wire format version writers write. Set 2 only once every reader of the
		 * same Redis runs a release that reads it (see README, "Upgrading the format").
		 * @param writeVersion 1 (the default) or 2
		 * @return this builder
		 */
		public Builder writeVersion(int writeVersion) {
			if (writeVersion != WireFormat.VERSION && writeVersion != WireFormat.VERSION_2) {
				throw new IllegalArgumentException("'format.write-version' must be 1 or 2, was " + writeVersion);
			}
			this.writeVersion = writeVersion;
			return this;
		}

		/**
		 * Build the policy.
		 * @return the policy
		 * @throws IllegalArgumentException if the level is out of range for the algorithm
		 */
		public CompressionPolicy build() {
			if (this.level != null && !this.algorithm.isValidLevel(this.level)) {
				throw new IllegalArgumentException(
						"'level' " + this.level + " is out of range for " + this.algorithm.tag() + " ("
								+ this.algorithm.minLevel() + " to " + this.algorithm.maxLevel() + ")");
			}
			return new CompressionPolicy(this);
		}

	}

}
