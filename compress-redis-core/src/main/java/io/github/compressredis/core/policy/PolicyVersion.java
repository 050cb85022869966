package io.github.compressredis.core.policy;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One version of the policy: the policy, its version number, where it came from, when it
 * took effect and what changed from the one before.
 *
 * @param policy the policy
 * @param version the version, starting at 1 and incremented by every accepted change
 * @param source where it came from
 * @param changedAt when it took effect
 * @param changes what changed from the previous version
 * @param baseline while {@code policy} is rolled out to part of the writes, the fully
 * rolled-out policy the other writes keep; {@code null} when {@code policy} applies to
 * every write
 * @author compress-redis contributors
 */
public record PolicyVersion(CompressionPolicy policy, long version, PolicySource source, Instant changedAt,
		String changes, @Nullable CompressionPolicy baseline) {

	/**
	 * Return the policy that applies to every write once this version is fully rolled
	 * out, or the baseline the other writes keep meanwhile.
	 * @return the fully rolled-out policy
	 */
	public CompressionPolicy fullyRolledOut() {
		return (this.baseline != null) ? this.baseline : this.policy;
	}

}
