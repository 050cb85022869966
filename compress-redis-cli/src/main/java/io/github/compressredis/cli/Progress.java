package io.github.compressredis.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar with rate and ETA on stderr; on a terminal it redraws one line,
 * otherwise (a pipe, a log file, a CI job) it prints a plain line every few seconds.
 *
 * @author compress-redis contributors
 */
final class Progress {

	private static final long REDRAW_NANOS = 200_000_000L;

	private static final long LINE_NANOS = 5_000_000_000L;

	private static final int WIDTH = 30;

	private final PrintStream out;

	private final boolean terminal;

	private final String what;

	private final long total;

	private final long start = System.nanoTime();

	private long done;

	private long last;

	private boolean quiet;

	Progress(PrintStream out, boolean terminal, String what, long total) {
		this.out = out;
		this.terminal = terminal;
		this.what = what;
		this.total = Math.max(total, 0);
		this.last = this.start;
	}

	static Progress onStderr(PrintStream err, String what, long total, boolean quiet) {
		Progress progress = new Progress(err, err == System.err && System.console() != null, what, total);
		progress.quiet = quiet;
		return progress;
	}

	/**
	 * Count units done and redraw if it is time.
	 * @param units the units done since the last call
	 */
	synchronized void advance(long units) {
		this.done += units;
		long now = System.nanoTime();
		if (now - this.last >= (this.terminal ? REDRAW_NANOS : LINE_NANOS)) {
			this.last = now;
			print(now, false);
		}
	}

	synchronized long done() {
		return this.done;
	}

	synchronized void finish() {
		print(System.nanoTime(), true);
	}

	private void print(long now, boolean end) {
		if (this.quiet) {
			return;
		}
		String line = line(now);
		if (this.terminal) {
			this.out.print("\r" + line + (end ? "\n" : ""));
		}
		else {
			this.out.println(line);
		}
		this.out.flush();
	}

	String line(long now) {
		double seconds = Math.max((now - this.start) / 1e9, 1e-3);
		double rate = this.done / seconds;
		StringBuilder line = new StringBuilder();
		if (this.total > 0) {
			double share = Math.min(1.0, (double) this.done / this.total);
			int filled = (int) Math.round(share * WIDTH);
			line.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
			line.append(String.format(Locale.ROOT, "%3.0f%% ", share * 100));
			line.append(String.format(Locale.ROOT, "%,d/%,d %s", this.done, this.total, this.what));
		}
		else {
			line.append(String.format(Locale.ROOT, "%,d %s", this.done, this.what));
		}
		line.append(String.format(Locale.ROOT, ", %,.0f/s", rate));
		if (this.total > this.done && rate > 0) {
			line.append(", ETA ").append(duration((this.total - this.done) / rate));
		}
		else {
			line.append(", ").append(duration(seconds));
		}
		return line.toString();
	}

	static String duration(double seconds) {
		long s = Math.round(seconds);
		return (s >= 3600) ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
				: (s >= 60) ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
	}

}
