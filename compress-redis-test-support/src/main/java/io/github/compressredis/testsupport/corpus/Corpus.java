package io.github.compressredis.testsupport.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * The shared corpus of real values: JSONL files, one value per line, read in place from
 * {@code shared/corpus} beside the project (found by walking up from the working
 * directory) or from the directory named by the {@code corpus.dir} system property; never
 * copied into the project. When it cannot be found, a test that needs it fails on CI
 * ({@code CI=true}) and is skipped elsewhere; a benchmark stops with the same message.
 *
 * @author compress-redis contributors
 */
public final class Corpus {

	/** System property naming the corpus directory explicitly. */
	public static final String PROPERTY = "corpus.dir";

	/** Small records (emoji), about 180 bytes each. */
	public static final String EMOJI = "emoji.jsonl";

	/** Tiny records (cities), about 100 bytes each. */
	public static final String CITY = "city.jsonl";

	/** Medium to large documents (browser compatibility data), up to 3.5 MB. */
	public static final String MDN = "mdn-bcd.jsonl";

	/** Large documents (all cities of a country), up to 1.7 MB. */
	public static final String CITIES_BY_COUNTRY = "cities-by-country.jsonl";

	/** The corpus files, in the order the benchmarks and reports use. */
	public static final List<String> FILES = List.of(MDN, EMOJI, CITY, CITIES_BY_COUNTRY);

	/**
	 * The files' subsets of values of at least 4 KB ({@code name@4096}), for the target
	 * that applies to such values only.
	 */
	public static final List<String> LARGE_SUBSETS = List.of(MDN + "@4096", CITIES_BY_COUNTRY + "@4096");

	private static final Path RELATIVE = Path.of("shared", "corpus");

	private Corpus() {
	}

	/**
	 * Return the corpus directory: {@code -Dcorpus.dir}, else the first
	 * {@code shared/corpus} found in the working directory, one of its parents or a
	 * parent's parent.
	 * @return the directory holding the {@code *.jsonl} files
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
		Path start = Path.of("").toAbsolutePath().normalize();
		for (Path dir = start; dir != null; dir = dir.getParent()) {
			if (Files.isDirectory(dir.resolve(RELATIVE))) {
				return dir.resolve(RELATIVE);
			}
		}
		String message = "The shared corpus (shared/corpus beside the project) was not found above " + start
				+ "; check out the shared directory beside the project or pass -D" + PROPERTY + "=/path/to/corpus";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new AssertionError(message);
		}
		return Assumptions.abort(message);
	}

	/**
	 * Return the values of one corpus file: its non-empty lines as bytes, without the
	 * line break, in file order. {@code name@N} selects the file's values of at least N
	 * bytes, for example {@code mdn-bcd.jsonl@4096}.
	 * @param file the file name, for example {@link #EMOJI}, optionally with {@code @N}
	 * @return the values
	 */
	public static List<byte[]> values(String file) {
		int at = file.indexOf('@');
		if (at < 0) {
			return read(file);
		}
		int minLength = Integer.parseInt(file.substring(at + 1));
		List<byte[]> selected = read(file.substring(0, at)).stream()
			.filter((value) -> value.length >= minLength)
			.toList();
		if (selected.isEmpty()) {
			throw new IllegalStateException(file + " selects no values");
		}
		return selected;
	}

	/**
	 * Return {@code count} values spread evenly over a corpus file (all of them if it
	 * holds fewer).
	 * @param file the file name
	 * @param count how many values
	 * @return the sample, in file order
	 */
	public static List<byte[]> sample(String file, int count) {
		return spread(values(file), count);
	}

	/**
	 * Return {@code count} of the given values spread evenly over them (all of them if
	 * there are fewer).
	 * @param values the values
	 * @param count how many values
	 * @return the sample, in the given order
	 */
	public static List<byte[]> spread(List<byte[]> values, int count) {
		if (values.size() <= count) {
			return values;
		}
		List<byte[]> sample = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			sample.add(values.get((int) ((long) i * values.size() / count)));
		}
		return sample;
	}

	/**
	 * Return the first {@code size} bytes of the corpus file's values joined by newlines:
	 * real data of an exact size.
	 * @param file the file name
	 * @param size the number of bytes
	 * @return the bytes
	 */
	public static byte[] ofSize(String file, int size) {
		byte[] result = new byte[size];
		int position = 0;
		List<byte[]> all = values(file);
		for (int i = 0; position < size; i = (i + 1) % all.size()) {
			byte[] value = all.get(i);
			int count = Math.min(value.length, size - position);
			System.arraycopy(value, 0, result, position, count);
			position += count;
			if (position < size) {
				result[position++] = '\n';
			}
		}
		return result;
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

	private static List<byte[]> read(String file) {
		Path path = directory().resolve(file);
		byte[] content;
		try {
			content = Files.readAllBytes(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read corpus file " + path, ex);
		}
		List<byte[]> values = new ArrayList<>();
		int start = 0;
		for (int i = 0; i <= content.length; i++) {
			if (i == content.length || content[i] == '\n') {
				int end = (i > start && content[i - 1] == '\r') ? i - 1 : i;
				if (end > start) {
					values.add(Arrays.copyOfRange(content, start, end));
				}
				start = i + 1;
			}
		}
		if (values.isEmpty()) {
			throw new IllegalStateException("Corpus file " + path + " holds no values");
		}
		return List.copyOf(values);
	}

}
