package io.github.compressredis.core.internal;

import java.lang.reflect.Proxy;
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

	private final RateLimitedWarning warning = new RateLimitedWarning(this.log.asLog(), Duration.ofMinutes(1),
			this.clock::get);

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
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitedWarning(this.log.asLog(), Duration.ZERO))
			.withMessage("'interval' must be positive but was PT0S");
	}

	private void log(Throwable ex) {
		this.warning.log((unreported) -> "warn: " + unreported + " unreported", () -> "debug", ex);
	}

	/** Keeps the WARN and DEBUG lines; every other level is dropped. */
	static final class RecordingLog {

		final List<String> warnings = new ArrayList<>();

		final List<String> debugs = new ArrayList<>();

		boolean debugEnabled = true;

		Log asLog() {
			return (Log) Proxy.newProxyInstance(Log.class.getClassLoader(), new Class<?>[] { Log.class },
					(proxy, method, args) -> {
						String line = (args != null) ? args[0] + ", "
								+ ((args.length > 1 && args[1] != null) ? ((Throwable) args[1]).getMessage() : "none")
								: null;
						switch (method.getName()) {
							case "warn" -> this.warnings.add(line);
							case "debug" -> this.debugs.add(line);
							case "isDebugEnabled" -> {
								return this.debugEnabled;
							}
							default -> {
							}
						}
						return (method.getReturnType() == boolean.class) ? Boolean.TRUE : null;
					});
		}

	}

}
