package io.github.compressredis.cli;

/**
 * A failure the command line reports as one clear message (what, where, how to fix) and
 * an exit code, without a stack trace.
 *
 * @author compress-redis contributors
 */
public class CliException extends RuntimeException {

	/** Exit code of a usage error: a bad option or URI. */
	public static final int USAGE = 2;

	/** Exit code when Redis cannot be reached, refuses the credentials or a command. */
	public static final int REDIS = 3;

	private final int exitCode;

	public CliException(int exitCode, String message) {
		super(message);
		this.exitCode = exitCode;
	}

	public CliException(int exitCode, String message, Throwable cause) {
		super(message, cause);
		this.exitCode = exitCode;
	}

	public int exitCode() {
		return this.exitCode;
	}

}
