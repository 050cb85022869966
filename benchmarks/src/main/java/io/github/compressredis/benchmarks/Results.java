package io.github.compressredis.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the reports write their CSV files: {@code benchmarks/target/results} under the
 * project root (found by walking up from the working directory to the folder holding
 * {@code benchmarks/pom.xml}), or the directory named by the {@code results.dir} system
 * property.
 *
 * @author compress-redis contributors
 */
public final class Results {

	/** System property naming the results directory explicitly. */
	public static final String PROPERTY = "results.dir";

	private Results() {
	}

	/**
	 * Return the results directory, creating it if needed.
	 * @return the directory
	 */
	public static Path directory() {
		String explicit = System.getProperty(PROPERTY);
		Path dir = (explicit != null && !explicit.isBlank()) ? Path.of(explicit) : defaultDirectory();
		try {
			Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create results directory " + dir, ex);
		}
		return dir.toAbsolutePath().normalize();
	}

	/**
	 * Write a results file (CSV lines) to the results directory and say where, on stdout.
	 * @param name the file name
	 * @param lines the lines, without line breaks
	 */
	public static void write(String name, List<String> lines) {
		Path out = directory().resolve(name);
		try {
			Files.write(out, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + out, ex);
		}
		System.out.println();
		System.out.println("Wrote " + out);
	}

	private static Path defaultDirectory() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("benchmarks").resolve("pom.xml"))) {
				return dir.resolve("benchmarks").resolve("target").resolve("results");
			}
		}
		return Path.of("target", "results");
	}

}
