package io.github.compressredis.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared real-data corpus: one value per line of each {@code *.jsonl} file. It is read in
 * place from {@code ../shared/corpus} relative to the project root (found by walking up from the
 * working directory), or from the directory named by the {@code corpus.dir} system property; it
 * is never copied into the project.
 */
public final class Corpus {

	/** System property naming the corpus directory explicitly. */
	public static final String PROPERTY = "corpus.dir";

	/** The corpus files, in the order the benchmarks and reports use. */
	public static final List<String> FILES = List.of("mdn-bcd.jsonl", "emoji.jsonl", "city.jsonl",
			"cities-by-country.jsonl");

	/**
	 * The files' subsets of values of at least 4 KB ({@code name@4096}), for the target that
	 * applies to such values only.
	 */
	public static final List<String> LARGE_SUBSETS = List.of("mdn-bcd.jsonl@4096", "cities-by-country.jsonl@4096");

	private static final Map<String, List<byte[]>> CACHE = new ConcurrentHashMap<>();

	private Corpus() {
	}

	/**
	 * Return the corpus directory.
	 * @return the directory holding the {@code *.jsonl} files
	 * @throws IllegalStateException if it cannot be found
	 */
	public static Path directory() {
		String explicit = System.getProperty(PROPERTY);
		if (explicit != null && !explicit.isBlank()) {
			Path dir = Path.of(explicit).toAbsolutePath().normalize();
			if (!Files.isDirectory(dir)) {
				throw new IllegalStateException("-D" + PROPERTY + "=" + explicit + " is not a directory");
			}
			return dir;
		}
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path parent = dir.getParent();
			if (parent != null) {
				Path candidate = parent.resolve("shared").resolve("corpus");
				if (Files.isDirectory(candidate)) {
					return candidate.normalize();
				}
			}
		}
		throw new IllegalStateException("Corpus not found: no ../shared/corpus above " + Path.of("").toAbsolutePath()
				+ "; run from inside the project or pass -D" + PROPERTY + "=/path/to/corpus");
	}

	/**
	 * Return the values of one corpus file (its lines as UTF-8 bytes, without the line break),
	 * read once per JVM. Callers must not modify the arrays. {@code name@N} selects the file's
	 * values of at least N bytes, for example {@code mdn-bcd.jsonl@4096}.
	 * @param file the file name, for example {@code mdn-bcd.jsonl}, optionally with {@code @N}
	 * @return the values, in file order
	 */
	public static List<byte[]> values(String file) {
		int at = file.indexOf('@');
		if (at < 0) {
			return CACHE.computeIfAbsent(file, Corpus::read);
		}
		int minLength = Integer.parseInt(file.substring(at + 1));
		List<byte[]> selected = values(file.substring(0, at)).stream()
			.filter((value) -> value.length >= minLength)
			.toList();
		if (selected.isEmpty()) {
			throw new IllegalStateException(file + " selects no values");
		}
		return selected;
	}

	private static List<byte[]> read(String file) {
		Path path = directory().resolve(file);
		byte[] all;
		try {
			all = Files.readAllBytes(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read corpus file " + path, ex);
		}
		List<byte[]> values = new ArrayList<>();
		int start = 0;
		for (int i = 0; i <= all.length; i++) {
			if (i == all.length || all[i] == '\n') {
				int end = (i > start && all[i - 1] == '\r') ? i - 1 : i;
				if (end > start) {
					values.add(Arrays.copyOfRange(all, start, end));
				}
				start = i + 1;
			}
		}
		if (values.isEmpty()) {
			throw new IllegalStateException("Corpus file " + path + " holds no values");
		}
		return List.copyOf(values);
	}

	/**
	 * Return the total size of a list of values.
	 * @param values the values
	 * @return the sum of their lengths
	 */
	public static long totalBytes(List<byte[]> values) {
		long total = 0;
		for (byte[] value : values) {
			total += value.length;
		}
		return total;
	}

}
