package io.github.compressredis.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * The shared corpus ({@code ../shared/corpus} beside the project): one value per line.
 */
final class Corpus {

	static final List<String> FILES = List.of("mdn-bcd.jsonl", "emoji.jsonl", "city.jsonl", "cities-by-country.jsonl");

	private Corpus() {
	}

	static Path directory() {
		Path relative = Path.of("shared", "corpus");
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isDirectory(dir.resolve(relative))) {
				return dir.resolve(relative);
			}
		}
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new AssertionError("shared/corpus not found above " + Path.of("").toAbsolutePath());
		}
		return Assumptions.abort("shared/corpus not found; check out the shared directory beside the project");
	}

	static List<byte[]> values(String file) {
		try {
			byte[] content = Files.readAllBytes(directory().resolve(file));
			List<byte[]> values = new ArrayList<>();
			int start = 0;
			for (int i = 0; i <= content.length; i++) {
				if (i == content.length || content[i] == '\n') {
					if (i > start) {
						values.add(java.util.Arrays.copyOfRange(content, start, i));
					}
					start = i + 1;
				}
			}
			return values;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
