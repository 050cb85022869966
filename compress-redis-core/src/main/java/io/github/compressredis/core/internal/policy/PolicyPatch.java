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
 * @author compress-redis contributors
 */
public final class PolicyPatch {

	private static final PolicyPatch EMPTY = builder().build();

	private final @Nullable Algorithm algorithm;

	private final @Nullable Integer level;

	private final @Nullable Long minSize;

	private final @Nullable Double maxRatio;

	private final @Nullable Boolean checksum;

	private final @Nullable Long maxDecompressedSize;

	private final @Nullable Integer rolloutPercent;

	private final @Nullable Integer writeVersion;

	private PolicyPatch(Builder builder) {
		this.algorithm = builder.algorithm;
		this.level = builder.level;
		this.minSize = builder.minSize;
		this.maxRatio = builder.maxRatio;
		this.checksum = builder.checksum;
		this.maxDecompressedSize = builder.maxDecompressedSize;
		this.rolloutPercent = builder.rolloutPercent;
		this.writeVersion = builder.writeVersion;
	}

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

	public @Nullable Algorithm algorithm() {
		return this.algorithm;
	}

	public @Nullable Integer level() {
		return this.level;
	}

	public @Nullable Long minSize() {
		return this.minSize;
	}

	public @Nullable Double maxRatio() {
		return this.maxRatio;
	}

	public @Nullable Boolean checksum() {
		return this.checksum;
	}

	public @Nullable Long maxDecompressedSize() {
		return this.maxDecompressedSize;
	}

	public @Nullable Integer rolloutPercent() {
		return this.rolloutPercent;
	}

	public @Nullable Integer writeVersion() {
		return this.writeVersion;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		if (!(obj instanceof PolicyPatch other)) {
			return false;
		}
		return this.algorithm == other.algorithm && Objects.equals(this.level, other.level)
				&& Objects.equals(this.minSize, other.minSize) && Objects.equals(this.maxRatio, other.maxRatio)
				&& Objects.equals(this.checksum, other.checksum)
				&& Objects.equals(this.maxDecompressedSize, other.maxDecompressedSize)
				&& Objects.equals(this.rolloutPercent, other.rolloutPercent)
				&& Objects.equals(this.writeVersion, other.writeVersion);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.algorithm, this.level, this.minSize, this.maxRatio, this.checksum,
				this.maxDecompressedSize, this.rolloutPercent, this.writeVersion);
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
			return new PolicyPatch(this);
		}

	}

}
