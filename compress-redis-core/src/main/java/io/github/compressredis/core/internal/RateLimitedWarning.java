package io.github.compressredis.core.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * Logs a recurring failure at WARN at most once per interval and at DEBUG in between,
 * counting the occurrences that were not warned about so that the next warning can report
 * them. Thread-safe; one instance per kind of failure. Internal: not part of the public
 * API.
 *
 * @author compress-redis contributors
 */
public final class RateLimitedWarning {

	/** The interval every warning of the project uses. */
	public static final Duration ONE_MINUTE = Duration.ofMinutes(1);

	private final Log logger;

	private final long intervalNanos;

	private final AtomicLong lastWarning;

	private final AtomicLong unreported = new AtomicLong();

	private final LongSupplier nanoTime;

	/**
	 * Creates a warning that logs to the given logger at most once a minute.
	 * @param logger where to log
	 */
	public RateLimitedWarning(Log logger) {
		this(logger, ONE_MINUTE);
	}

	/**
	 * Creates a warning that logs to the given logger at most once per interval.
	 * @param logger where to log
	 * @param interval the least time between two warnings
	 */
	public RateLimitedWarning(Log logger, Duration interval) {
		this(logger, interval, System::nanoTime);
	}

	RateLimitedWarning(Log logger, Duration interval, LongSupplier nanoTime) {
		this.nanoTime = Objects.requireNonNull(nanoTime, "'nanoTime' must not be null");
		this.logger = Objects.requireNonNull(logger, "'logger' must not be null");
		Objects.requireNonNull(interval, "'interval' must not be null");
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("'interval' must be positive but was " + interval);
		}
		this.intervalNanos = interval.toNanos();
		this.lastWarning = new AtomicLong(nanoTime.getAsLong() - this.intervalNanos);
	}

	/**
	 * Logs one occurrence: at WARN with {@code warning} if the last warning is an
	 * interval old, else at DEBUG with {@code detail}.
	 * @param warning the WARN message, given the number of occurrences not warned about
	 * since the last warning
	 * @param detail the DEBUG message
	 * @param ex the failure, or {@code null}
	 */
	public void log(LongFunction<String> warning, Supplier<String> detail, @Nullable Throwable ex) {
		long now = this.nanoTime.getAsLong();
		long last = this.lastWarning.get();
		if (now - last >= this.intervalNanos && this.lastWarning.compareAndSet(last, now)) {
			String message = warning.apply(this.unreported.getAndSet(0));
			if (ex != null) {
				this.logger.warn(message, ex);
			}
			else {
				this.logger.warn(message);
			}
			return;
		}
		this.unreported.incrementAndGet();
		if (this.logger.isDebugEnabled()) {
			if (ex != null) {
				this.logger.debug(detail.get(), ex);
			}
			else {
				this.logger.debug(detail.get());
			}
		}
	}

}
