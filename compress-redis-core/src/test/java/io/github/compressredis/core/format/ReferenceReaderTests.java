package io.github.compressredis.core.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.compressredis.core.codec.CodecRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the reader written from {@code FORMAT.md} alone ({@code docs/reference-reader},
 * Python 3 with the {@code zstandard} module) on every vector and fault vector, and
 * checks that it reports exactly what the Java reader reports. Skipped, saying why, where
 * no Python 3 with {@code zstandard} is installed, unless
 * {@code -Dreference-reader.required=true} or the environment has {@code CI=true}.
 */
class ReferenceReaderTests {

	private static final List<String> INTERPRETERS = List.of("python3", "/usr/bin/python3", "python");

	@Test
	void readerWrittenFromTheFormatDocumentReportsWhatTheJavaReaderReports() throws Exception {
		Path document = FormatVectorTests.findFormatDocument();
		Path reader = document.resolveSibling("docs/reference-reader/compress_redis_reader.py");
		assertThat(reader).isRegularFile();
		String python = findPython();
		if (python == null) {
			String why = "no Python 3 with the zstandard module (apt-get install python3-zstandard) among "
					+ INTERPRETERS + ": the reference reader was not run";
			// CI installs python3-zstandard (.ci/run): there the comparison must run,
			// never skip
			if (Boolean.getBoolean("reference-reader.required") || "true".equals(System.getenv("CI"))) {
				throw new AssertionError(why);
			}
			System.err.println("SKIPPED ReferenceReaderTests: " + why);
			Assumptions.abort(why);
		}
		List<String> output = run(python, reader.toString(), "--vectors", document.toString());
		Map<String, String> pythonResults = new LinkedHashMap<>();
		for (String line : output) {
			int space = line.lastIndexOf(' ');
			pythonResults.put(line.substring(0, space), line.substring(space + 1));
		}
		Map<String, String> javaResults = new LinkedHashMap<>();
		try (CodecRegistry codecs = new CodecRegistry()) {
			FormatVectorTests.vectors()
				.forEach((vector) -> javaResults.put(vector.get("vector"),
						FormatVectorTests.javaResult(vector, codecs)));
			FormatVectorTests.faultVectors()
				.forEach((vector) -> javaResults.put(vector.get("fault-vector"),
						FormatVectorTests.javaResult(vector, codecs)));
		}

		assertThat(javaResults).hasSizeGreaterThan(80);
		assertThat(pythonResults).isEqualTo(javaResults);
	}

	private static String findPython() throws InterruptedException {
		for (String candidate : INTERPRETERS) {
			try {
				Process process = new ProcessBuilder(candidate, "-c",
						"import sys, zstandard; assert sys.version_info >= (3, 8)")
					.redirectErrorStream(true)
					.start();
				process.getInputStream().readAllBytes();
				if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
					return candidate;
				}
				process.destroyForcibly();
			}
			catch (IOException ex) {
				// not installed under this name
			}
		}
		return null;
	}

	private static List<String> run(String... command) throws IOException, InterruptedException {
		Path errors = Files.createTempFile("reference-reader", ".err");
		try {
			Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("reference reader finished").isTrue();
			assertThat(process.exitValue()).as("reference reader exit status; stderr: %s", Files.readString(errors))
				.isZero();
			return new ArrayList<>(out.lines().filter((line) -> !line.isBlank()).toList());
		}
		finally {
			Files.deleteIfExists(errors);
		}
	}

}
