package io.github.compressredis.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code compress-redis} command line: {@code advise}, {@code migrate} and
 * {@code inspect}. Run {@code java -jar compress-redis-cli.jar --help}.
 *
 * @author compress-redis contributors
 */
@Command(name = "compress-redis", mixinStandardHelpOptions = true, versionProvider = CompressRedisCli.Version.class,
		description = "Estimate the savings of compress-redis on an existing Redis, convert its values in place "
				+ "and back, and look at one value.",
		subcommands = { AdviseCommand.class, MigrateCommand.class, InspectCommand.class,
				CommandLine.HelpCommand.class })
public final class CompressRedisCli {

	private CompressRedisCli() {
	}

	/**
	 * Run the command line and exit with its code.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		// Lettuce and Netty log through SLF4J when present; the tool has no logging of
		// its own to configure
		System.setProperty("slf4j.internal.verbosity", "ERROR");
		System.exit(run(args));
	}

	/**
	 * Run the command line.
	 * @param args the arguments
	 * @return the exit code: 0 done, 1 some values failed, 2 usage error, 3 Redis error
	 */
	public static int run(String... args) {
		return run(System.out, System.err, args);
	}

	/**
	 * Run the command line with the given output streams.
	 * @param out where results go
	 * @param err where progress, failures and errors go
	 * @param args the arguments
	 * @return the exit code: 0 done, 1 some values failed, 2 usage error, 3 Redis error
	 */
	public static int run(PrintStream out, PrintStream err, String... args) {
		CommandLine.IFactory factory = new CommandLine.IFactory() {

			@Override
			public <K> K create(Class<K> type) throws Exception {
				K created = CommandLine.defaultFactory().create(type);
				if (created instanceof Streams streams) {
					streams.use(out, err);
				}
				return created;
			}

		};
		CommandLine commandLine = new CommandLine(new CompressRedisCli(), factory);
		commandLine.setOut(new PrintWriter(out, true));
		commandLine.setErr(new PrintWriter(err, true));
		commandLine.setExecutionExceptionHandler((ex, line, parsed) -> {
			PrintWriter errors = line.getErr();
			if (ex instanceof CliException cli) {
				errors.println("error: " + cli.getMessage());
				errors.flush();
				return cli.exitCode();
			}
			throw ex;
		});
		return commandLine.execute(args);
	}

	/** The version of the build, written into {@code version.properties} by Maven. */
	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() throws IOException {
			Properties properties = new Properties();
			try (InputStream in = CompressRedisCli.class.getResourceAsStream("version.properties")) {
				if (in == null) {
					throw new IOException("version.properties is missing from the classpath");
				}
				properties.load(in);
			}
			return new String[] { "compress-redis " + properties.getProperty("version") };
		}

	}

	/** A command that writes to the streams it is given. */
	interface Streams {

		void use(PrintStream out, PrintStream err);

	}

}
