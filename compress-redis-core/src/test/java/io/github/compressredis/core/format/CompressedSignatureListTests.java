package io.github.compressredis.core.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.compressredis.core.internal.codec.CompressedInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signatures of already compressed formats that FORMAT.md (section 4) lists are
 * exactly those a writer checks: read from the document, so that the two cannot drift.
 */
class CompressedSignatureListTests {

	@Test
	void everySignatureOfFormatMdIsRecognisedByExactlyItsListedBytes() throws IOException {
		// FORMAT.md section 4's list, read from the document: every listed byte is
		// checked, and nothing else (no byte past the list, no byte it marks ??)
		Map<String, int[]> signatures = documentedSignatures();
		assertThat(signatures.keySet()).containsExactlyInAnyOrder("gzip", "zstd", "lz4-frame", "bzip2", "xz", "zip",
				"7z", "png", "jpeg", "gif", "webp", "snappy-framed", "hyperloglog");
		signatures.forEach((name, signature) -> {
			byte[] value = new byte[signature.length + 8];
			for (int j = 0; j < signature.length; j++) {
				value[j] = (byte) ((signature[j] < 0) ? 0x42 : signature[j]);
			}
			assertThat(CompressedInput.formatOf(value)).as(name).isEqualTo(name);
			for (int j = 0; j < value.length; j++) {
				byte[] changed = value.clone();
				changed[j] ^= 0x01;
				boolean listed = j < signature.length && signature[j] >= 0;
				assertThat(CompressedInput.formatOf(changed)).as("%s with byte %d changed", name, j)
					.isEqualTo(listed ? null : name);
			}
			assertThat(CompressedInput.formatOf(Arrays.copyOf(value, signature.length - 1)))
				.as("%s without its last listed byte", name)
				.isNull();
		});
		assertThat(CompressedInput.formatOf("{\"json\": true}".getBytes(StandardCharsets.UTF_8))).isNull();
	}

	/**
	 * Read the signatures FORMAT.md section 4 lists ({@code -1} for {@code ??}), by the
	 * names {@code CompressedInput} gives them.
	 * @return the signatures by name
	 * @throws IOException if FORMAT.md cannot be read
	 */
	private static Map<String, int[]> documentedSignatures() throws IOException {
		String document = Files.readString(FormatVectorTests.findFormatDocument());
		int start = document.indexOf("3. Stores it plain, without calling a codec");
		String step = document.substring(start, document.indexOf("4. Otherwise", start));
		Map<String, String> names = Map.of("zstd frame", "zstd", "LZ4 frame", "lz4-frame", "Snappy framed",
				"snappy-framed", "Redis's HyperLogLog", "hyperloglog");
		Matcher matcher = Pattern.compile("([A-Za-z0-9' ]+?)\\s+`((?:[0-9A-F?]{2} )*[0-9A-F?]{2})`")
			.matcher(step.replaceAll("\\s+", " ").replace(", and ", ", "));
		Map<String, int[]> signatures = new LinkedHashMap<>();
		while (matcher.find()) {
			String name = matcher.group(1).trim();
			int[] signature = Arrays.stream(matcher.group(2).split(" "))
				.mapToInt((hex) -> hex.equals("??") ? -1 : Integer.parseInt(hex, 16))
				.toArray();
			signatures.put(names.getOrDefault(name, name.toLowerCase(Locale.ROOT)), signature);
		}
		return signatures;
	}

}
