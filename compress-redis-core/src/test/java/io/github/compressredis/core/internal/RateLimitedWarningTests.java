package io.github.compressredis.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateLimitedWarningTests {

	private final RecordingLog log = new RecordingLog();

	private final AtomicLong clock = new AtomicLong(1_000_000_000L);

	private final RateLimitedWarning warning = new RateLimitedWarning(this.log, Duration.ofMinutes(1), this.clock::get);

	@Test
	void theFirstOccurrenceWarnsAndTheOthersOfTheSameMinuteGoToDebugAndAreCountedInTheNextWarning() {
		IllegalStateException failure = new IllegalStateException("boom");
		log(failure);
		log(failure);
		log(failure);
		this.clock.addAndGet(Duration.ofSeconds(59).toNanos());
		log(failure);
		assertThat(this.log.warnings).containsExactly("warn: 0 unreported, boom");
		assertThat(this.log.debugs).containsExactly("debug, boom", "debug, boom", "debug, boom");
		this.clock.addAndGet(Duration.ofSeconds(1).toNanos());
		log(null);
		assertThat(this.log.warnings).containsExactly("warn: 0 unreported, boom", "warn: 3 unreported, none");
	}

	@Test
	void debugMessagesAreNotBuiltWhenDebugIsOff() {
		this.log.debugEnabled = false;
		log(null);
		this.warning.log((unreported) -> "again", () -> {
			throw new AssertionError("built although DEBUG is off");
		}, null);
		assertThat(this.log.warnings).hasSize(1);
		assertThat(this.log.debugs).isEmpty();
	}

	@Test
	void theIntervalMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitedWarning(this.log, Duration.ZERO))
			.withMessage("'interval' must be positive but was PT0S");
	}

	private void log(Throwable ex) {
		this.warning.log((unreported) -> "warn: " + unreported + " unreported", () -> "debug", ex);
	}

	static final class RecordingLog implements Log {

		final List<String> warnings = new ArrayList<>();

		final List<String> debugs = new ArrayList<>();

		boolean debugEnabled = true;

		private static String describe(Object message, Throwable t) {
			return message + ", " + ((t != null) ? t.getMessage() : "none");
		}

		@Override
		public void warn(Object message) {
			this.warnings.add(describe(message, null));
		}

		@Override
		public void warn(Object message, Throwable t) {
			this.warnings.add(describe(message, t));
		}

		@Override
		public void debug(Object message) {
			this.debugs.add(describe(message, null));
		}

		@Override
		public void debug(Object message, Throwable t) {
			this.debugs.add(describe(message, t));
		}

		@Override
		public boolean isDebugEnabled() {
			return this.debugEnabled;
		}

		@Override
		public boolean isErrorEnabled() {
			return true;
		}

		@Override
		public boolean isFatalEnabled() {
			return true;
		}

		@Override
		public boolean isInfoEnabled() {
			return true;
		}

		@Override
		public boolean isTraceEnabled() {
			return false;
		}

		@Override
		public boolean isWarnEnabled() {
			return true;
		}

		@Override
		public void trace(Object message) {
		}

		@Override
		public void trace(Object message, Throwable t) {
		}

		@Override
		public void info(Object message) {
		}

		@Override
		public void info(Object message, Throwable t) {
		}

		@Override
		public void error(Object message) {
		}

		@Override
		public void error(Object message, Throwable t) {
		}

		@Override
		public void fatal(Object message) {
		}

		@Override
		public void fatal(Object message, Throwable t) {
		}

	}

}
