package io.github.compressredis.core.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the test vectors published in {@code FORMAT.md}, so the document cannot drift from the code.
 */
class FormatVectorTests {

	private static final CodecRegistry codecs = new CodecRegistry();

	@AfterAll
	static void closeCodecs() {
		codecs.close();
	}

	static List<Map<String, String>> vectors() throws IOException {
		Path format = findFormatDocument();
		List<Map<String, String>> vectors = new ArrayList<>();
		Map<String, String> current = null;
		for (String line : Files.readAllLines(format, StandardCharsets.UTF_8)) {
			int colon = line.indexOf(": ");
			if (line.startsWith("vector: ")) {
				current = new LinkedHashMap<>();
				vectors.add(current);
			}
			if (current != null && colon > 0 && !line.startsWith(" ")) {
				current.put(line.substring(0, colon), line.substring(colon + 2).trim());
			}
		}
		return vectors;
	}

	@Test
	void formatDocumentPublishesAVectorForEveryCodec() throws IOException {
		assertThat(vectors()).extracting((vector) -> policy(vector).algorithm())
			.containsAll(List.of(Algorithm.values()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vectors")
	void storedBytesOfEachVectorDecodeToItsInput(Map<String, String> vector) {
		byte[] input = HexFormat.of().parseHex(vector.get("input-hex"));
		byte[] stored = HexFormat.of().parseHex(vector.get("stored-hex"));
		assertThat(WireFormat.isFramed(stored)).isTrue();
		assertThat(compressor(policy(vector)).decompress(stored)).isEqualTo(input);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vectors")
	void writingEachVectorsInputProducesItsStoredBytes(Map<String, String> vector) {
		byte[] input = HexFormat.of().parseHex(vector.get("input-hex"));
		assertThat(HexFormat.of().formatHex(compressor(policy(vector)).compress(input)))
			.isEqualTo(vector.get("stored-hex"));
	}

	private static ValueCompressor compressor(CompressionPolicy policy) {
		return new ValueCompressor(new CompressionPolicyHolder(policy), codecs, new CompressionStats());
	}

	private static CompressionPolicy policy(Map<String, String> vector) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String pair : vector.get("policy").split(" ")) {
			String[] parts = pair.split("=", 2);
			fields.put(parts[0], parts[1]);
		}
		return CompressionPolicy.builder()
			.algorithm(Algorithm.forName(fields.get("algorithm")))
			.level(Integer.parseInt(fields.get("level")))
			.checksum(Boolean.parseBoolean(fields.get("checksum")))
			.minSize(0)
			.maxRatio(1.0)
			.build();
	}

	private static Path findFormatDocument() {
		for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolve("FORMAT.md");
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("FORMAT.md not found above " + Paths.get("").toAbsolutePath());
	}

}
