package io.github.compressredis.core.policy;

import java.time.Instant;

/**
 * One version of the policy: the policy, its version number, where it came from, when it took
 * effect and what changed from the one before.
 *
 * @param policy the policy
 * @param version the version, starting at 1 and incremented by every accepted change
 * @param source where it came from
 * @param changedAt when it took effect
 * @param changes what changed from the previous version
 */
public record PolicyVersion(CompressionPolicy policy, long version, PolicySource source, Instant changedAt,
		String changes) {
}
