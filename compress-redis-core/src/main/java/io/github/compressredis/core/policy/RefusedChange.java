package io.github.compressredis.core.policy;

import java.time.Instant;

/**
 * A policy change that was refused, with why; the policy in force stayed.
 *
 * @param source where the change came from
 * @param refusedAt when it was refused
 * @param reason what was wrong with it
 * @author compress-redis contributors
 */
public record RefusedChange(PolicySource source, Instant refusedAt, String reason) {
}
