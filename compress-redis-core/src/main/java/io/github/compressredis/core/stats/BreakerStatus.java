package io.github.compressredis.core.stats;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What the compression breaker is doing, since when and why.
 *
 * @param state the state
 * @param since when it entered the state
 * @param reason why it last tripped, {@code null} if it never did
 * @param detail the measurement behind the state, for people
 * @author compress-redis contributors
 */
public record BreakerStatus(BreakerState state, Instant since, @Nullable FallbackReason reason, String detail) {

	/** The status reported when no breaker is in use. */
	public static final BreakerStatus DISABLED = new BreakerStatus(BreakerState.DISABLED, Instant.EPOCH, null,
			"no breaker is configured");

	public BreakerStatus {
		Objects.requireNonNull(state, "'state' must not be null");
		Objects.requireNonNull(since, "'since' must not be null");
		Objects.requireNonNull(detail, "'detail' must not be null");
	}

}
