package io.github.compressredis.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * The shared corpus of real values: JSONL files, one value per line, in {@code shared/corpus} next
 * to the project root. When it is absent, tests that need it fail on CI ({@code CI=true}) and are
 * skipped elsewhere.
 */
public final class TestCorpus {

	/** Small records (emoji), about 180 bytes each. */
	public static final String EMOJI = "emoji.jsonl";

	/** Tiny records (cities), about 100 bytes each. */
	public static final String CITY = "city.jsonl";

	/** Medium to large documents (browser compatibility data), up to 3.5 MB. */
	public static final String MDN = "mdn-bcd.jsonl";

	/** Large documents (all cities of a country), up to 1.7 MB. */
	public static final String CITIES_BY_COUNTRY = "cities-by-country.jsonl";

	private static final Path RELATIVE = Path.of("shared", "corpus");

	private TestCorpus() {
	}

	/**
	 * Return the corpus directory, found by walking up from the working directory until
	 * {@code shared/corpus} or {@code ../shared/corpus} exists; fail on CI and skip elsewhere when
	 * there is none.
	 * @return the corpus directory
	 */
	public static Path directory() {
		Path start = Path.of("").toAbsolutePath().normalize();
		for (Path dir = start; dir != null; dir = dir.getParent()) {
			if (Files.isDirectory(dir.resolve(RELATIVE))) {
				return dir.resolve(RELATIVE);
			}
			if (dir.getParent() != null && Files.isDirectory(dir.getParent().resolve(RELATIVE))) {
				return dir.getParent().resolve(RELATIVE);
			}
		}
		String message = "The shared corpus (shared/corpus next to the project root) was not found above " + start
				+ "; check out the shared directory beside the project to run this test";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new AssertionError(message);
		}
		return Assumptions.abort(message);
	}

	/**
	 * Return every value of a corpus file, in file order, as the bytes of its line.
	 * @param file the file name, for example {@link #EMOJI}
	 * @return the values
	 */
	public static List<byte[]> values(String file) {
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
			throw new AssertionError("Corpus file " + path + " holds no values");
		}
		return values;
	}

	/**
	 * Return {@code count} values spread evenly over a corpus file (all of them if it holds fewer).
	 * @param file the file name
	 * @param count how many values
	 * @return the sample, in file order
	 */
	public static List<byte[]> sample(String file, int count) {
		List<byte[]> all = values(file);
		if (all.size() <= count) {
			return all;
		}
		List<byte[]> sample = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			sample.add(all.get((int) ((long) i * all.size() / count)));
		}
		return sample;
	}

	/**
	 * Return the first {@code size} bytes of the corpus file's values joined by newlines: real
	 * data of an exact size.
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

}
