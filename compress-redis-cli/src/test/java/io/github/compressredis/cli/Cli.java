package io.github.compressredis.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the command line in this JVM and keeps what it printed.
 *
 * @param exitCode the exit code
 * @param stdout the bytes written to stdout
 * @param stderr what was written to stderr
 */
record Cli(int exitCode, byte[] stdout, String stderr) {

	static Cli run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = CompressRedisCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), args);
		return new Cli(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
	}

	String out() {
		return new String(this.stdout, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "exit " + this.exitCode + "\n--- stdout\n" + out() + "\n--- stderr\n" + this.stderr;
	}

}
