package io.github.compressredis.core.internal.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicy;
import org.jspecify.annotations.Nullable;

/**
 * A partial policy: only the fields a source set (application.yml, Nacos, a per-target
 * override, the endpoint). Every source puts its patch onto a base policy with
 * {@link #applyTo}, the one merge rule. Immutable.
 *
 * @param algorithm the algorithm, or {@code null} when unset
 * @param level the level, or {@code null} when unset
 * @param minSize the minimum size in bytes, or {@code null} when unset
 * @param maxRatio the maximum ratio, or {@code null} when unset
 * @param checksum whether to add a checksum, or {@code null} when unset
 * @param maxDecompressedSize the largest value a reader accepts, or {@code null} when
 * unset
 * @param rolloutPercent the share of writes that use the policy, or {@code null} when
 * unset
 * @param writeVersion the format version written, or {@code null} when unset
 * @author compress-redis contributors
 */
public record PolicyPatch(@Nullable Algorithm algorithm, @Nullable Integer level, @Nullable Long minSize,
		@Nullable Double maxRatio, @Nullable Boolean checksum, @Nullable Long maxDecompressedSize,
		@Nullable Integer rolloutPercent, @Nullable Integer writeVersion) {

	private static final PolicyPatch EMPTY = builder().build();

	/**
	 * Return a patch that sets nothing.
	 * @return the empty patch
	 */
	public static PolicyPatch empty() {
		return EMPTY;
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Put this patch onto a base policy. Unset fields keep the base's values; an
	 * algorithm other than the base's, without a level, takes that algorithm's default
	 * level; the base's algorithm named again, without a level, keeps the base's level.
	 * @param base the policy the source changes
	 * @return the resulting policy
	 * @throws IllegalArgumentException naming the field when a value is out of range
	 */
	public CompressionPolicy applyTo(CompressionPolicy base) {
		Objects.requireNonNull(base, "'base' must not be null");
		CompressionPolicy.Builder builder = base.toBuilder();
		Algorithm algorithm = (this.algorithm != null) ? this.algorithm : base.algorithm();
		Integer level = (this.level != null) ? this.level
				: (algorithm == base.algorithm()) ? Integer.valueOf(base.level()) : null;
		builder.algorithm(algorithm).level(level);
		if (this.minSize != null) {
			builder.minSize(this.minSize);
		}
		if (this.maxRatio != null) {
			builder.maxRatio(this.maxRatio);
		}
		if (this.checksum != null) {
			builder.checksum(this.checksum);
		}
		if (this.maxDecompressedSize != null) {
			builder.maxDecompressedSize(this.maxDecompressedSize);
		}
		if (this.rolloutPercent != null) {
			builder.rolloutPercent(this.rolloutPercent);
		}
		if (this.writeVersion != null) {
			builder.writeVersion(this.writeVersion);
		}
		return builder.build();
	}

	/**
	 * Return whether this patch sets no field.
	 * @return whether it is empty
	 */
	public boolean isEmpty() {
		return this.algorithm == null && this.level == null && this.minSize == null && this.maxRatio == null
				&& this.checksum == null && this.maxDecompressedSize == null && this.rolloutPercent == null
				&& this.writeVersion == null;
	}

	@Override
	public String toString() {
		List<String> fields = new ArrayList<>();
		add(fields, "algorithm", (this.algorithm != null) ? this.algorithm.tag() : null);
		add(fields, "level", this.level);
		add(fields, "min-size", this.minSize);
		add(fields, "max-ratio", this.maxRatio);
		add(fields, "checksum", this.checksum);
		add(fields, "max-decompressed-size", this.maxDecompressedSize);
		add(fields, "rollout-percent", this.rolloutPercent);
		add(fields, "format.write-version", this.writeVersion);
		return fields.isEmpty() ? "no field" : String.join(", ", fields);
	}

	private static void add(List<String> fields, String name, @Nullable Object value) {
		if (value != null) {
			fields.add(name + "=" + value);
		}
	}

	/**
	 * Builds a {@link PolicyPatch}; every field starts unset.
	 */
	public static final class Builder {

		private @Nullable Algorithm algorithm;

		private @Nullable Integer level;

		private @Nullable Long minSize;

		private @Nullable Double maxRatio;

		private @Nullable Boolean checksum;

		private @Nullable Long maxDecompressedSize;

		private @Nullable Integer rolloutPercent;

		private @Nullable Integer writeVersion;

		private Builder() {
		}

		public Builder algorithm(@Nullable Algorithm algorithm) {
			this.algorithm = algorithm;
			return this;
		}

		public Builder level(@Nullable Integer level) {
			this.level = level;
			return this;
		}

		public Builder minSize(@Nullable Long minSize) {
			this.minSize = minSize;
			return this;
		}

		public Builder maxRatio(@Nullable Double maxRatio) {
			this.maxRatio = maxRatio;
			return this;
		}

		public Builder checksum(@Nullable Boolean checksum) {
			this.checksum = checksum;
			return this;
		}

		public Builder maxDecompressedSize(@Nullable Long maxDecompressedSize) {
			this.maxDecompressedSize = maxDecompressedSize;
			return this;
		}

		public Builder rolloutPercent(@Nullable Integer rolloutPercent) {
			this.rolloutPercent = rolloutPercent;
			return this;
		}

		public Builder writeVersion(@Nullable Integer writeVersion) {
			this.writeVersion = writeVersion;
			return this;
		}

		public PolicyPatch build() {
			return new PolicyPatch(this.algorithm, this.level, this.minSize, this.maxRatio, this.checksum,
					this.maxDecompressedSize, this.rolloutPercent, this.writeVersion);
		}

	}

}
