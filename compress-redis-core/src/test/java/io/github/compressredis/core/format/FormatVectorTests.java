package io.github.compressredis.core.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.dictionary.Dictionary;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.dictionary.DictionaryTarget;
import io.github.compressredis.core.internal.dictionary.InMemoryDictionaryStore;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Checks the test vectors published in {@code FORMAT.md}, so the document cannot drift
 * from the code.
 */
class FormatVectorTests {

	private static final CodecRegistry codecs = new CodecRegistry();

	private static final List<DictionaryRegistry> dictionaries = new ArrayList<>();

	@AfterAll
	static void closeCodecs() {
		dictionaries.forEach(DictionaryRegistry::close);
		codecs.close();
	}

	static List<Map<String, String>> vectors() throws IOException {
		return blocks("vector");
	}

	/** The values a reader must refuse, each with the fault it must report. */
	static List<Map<String, String>> faultVectors() throws IOException {
		return blocks("fault-vector");
	}

	/**
	 * Read the blocks of one kind from FORMAT.md: a line {@code <kind>: <name>}, then
	 * {@code key: value} lines up to the next block or the end of the code block.
	 */
	private static List<Map<String, String>> blocks(String kind) throws IOException {
		Path format = findFormatDocument();
		List<Map<String, String>> blocks = new ArrayList<>();
		Map<String, String> current = null;
		for (String line : Files.readAllLines(format, StandardCharsets.UTF_8)) {
			int colon = line.indexOf(": ");
			if (line.startsWith("vector: ") || line.startsWith("fault-vector: ") || line.startsWith("```")) {
				current = null;
			}
			if (line.startsWith(kind + ": ")) {
				current = new LinkedHashMap<>();
				blocks.add(current);
			}
			if (current != null && colon > 0 && !line.startsWith(" ")) {
				current.put(line.substring(0, colon), line.substring(colon + 2).trim());
			}
		}
		return blocks;
	}

	/** The vectors writers produce today; {@code read-only} ones are only read. */
	static List<Map<String, String>> writtenVectors() throws IOException {
		return vectors().stream().filter((vector) -> !vector.containsKey("read-only")).toList();
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
		assertThat(compressor(vector, codecs).decompress(stored)).isEqualTo(input);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("writtenVectors")
	void writingEachVectorsInputProducesItsStoredBytes(Map<String, String> vector) {
		byte[] input = HexFormat.of().parseHex(vector.get("input-hex"));
		assertThat(HexFormat.of().formatHex(compressor(vector, codecs).compress(input)))
			.isEqualTo(vector.get("stored-hex"));
	}

	@Test
	void formatDocumentPublishesAFaultVectorForEveryFault() throws IOException {
		assertThat(faultVectors()).extracting((vector) -> vector.get("fault"))
			.containsAll(Arrays.stream(DecodeFault.values()).map(DecodeFault::tag).toList());
	}

	@Test
	void formatDocumentPublishesVersion2VectorsForEveryKindOfValue() throws IOException {
		assertThat(writtenVectors()).filteredOn((vector) -> policy(vector).writeVersion() == WireFormat.VERSION_2)
			.extracting((vector) -> vector.get("vector"))
			.contains("zstd-3-crc-v2", "zstd-fast-1-v2", "stored-escape-v2", "zstd-3-dictionary-crc-v2",
					"zstd-3-dictionary-v2");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("faultVectors")
	void eachFaultVectorIsRefusedWithItsFault(Map<String, String> vector) {
		byte[] stored = HexFormat.of().parseHex(vector.get("stored-hex"));
		assertThatExceptionOfType(CompressedValueException.class)
			.isThrownBy(() -> reader(vector, codecs).decompress(stored))
			.satisfies((ex) -> assertThat(ex.getFault().tag()).isEqualTo(vector.get("fault")));
	}

	/**
	 * Return the fault the Java reader reports for a value, {@code ok} when it decodes:
	 * what {@code ReferenceReaderTests} compares with the reader written from FORMAT.md
	 * alone.
	 * @param vector a vector or fault vector
	 * @param codecs the codecs to read with
	 * @return the result
	 */
	static String javaResult(Map<String, String> vector, CodecRegistry codecs) {
		byte[] stored = HexFormat.of().parseHex(vector.get("stored-hex"));
		try {
			byte[] decoded = (vector.containsKey("policy") ? compressor(vector, codecs) : reader(vector, codecs))
				.decompress(stored);
			return (!vector.containsKey("input-hex")
					|| HexFormat.of().formatHex(decoded).equals(vector.get("input-hex"))) ? "ok" : "wrong-bytes";
		}
		catch (CompressedValueException ex) {
			return ex.getFault().tag();
		}
	}

	/**
	 * A reader with the default policy and a store holding only the vector's dictionary,
	 * if any.
	 */
	private static ValueCompressor reader(Map<String, String> vector, CodecRegistry codecs) {
		InMemoryDictionaryStore store = new InMemoryDictionaryStore();
		if (vector.containsKey("dictionary-hex")) {
			store.save(new Dictionary(Integer.parseInt(vector.get("dictionary-id")), "format-vector",
					HexFormat.of().parseHex(vector.get("dictionary-hex")), Instant.EPOCH, 0, Double.NaN, Double.NaN));
		}
		DictionaryRegistry registry = new DictionaryRegistry(store, DictionarySettings.defaults());
		dictionaries.add(registry);
		return new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()), codecs,
				new CompressionStats(), null, registry, null);
	}

	@Test
	void formatDocumentPublishesAVectorWrittenWithADictionary() throws IOException {
		assertThat(vectors())
			.anySatisfy((vector) -> assertThat(vector).containsKeys("dictionary-id", "dictionary-hex"));
	}

	@Test
	void aDictionaryVectorWithoutItsDictionaryFailsWithMissingDictionary() throws IOException {
		Map<String, String> vector = vectors().stream()
			.filter((candidate) -> candidate.containsKey("dictionary-hex"))
			.findFirst()
			.orElseThrow();
		byte[] stored = HexFormat.of().parseHex(vector.get("stored-hex"));
		ValueCompressor withoutDictionary = new ValueCompressor(new CompressionPolicyHolder(policy(vector)), codecs,
				new CompressionStats());
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> withoutDictionary.decompress(stored))
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(DecodeFault.MISSING_DICTIONARY));
	}

	private static ValueCompressor compressor(Map<String, String> vector, CodecRegistry codecs) {
		CompressionPolicyHolder policies = new CompressionPolicyHolder(policy(vector));
		if (!vector.containsKey("dictionary-hex")) {
			return new ValueCompressor(policies, codecs, new CompressionStats());
		}
		// the vector's dictionary, current for a target, as an application would have it
		// in Redis
		int id = Integer.parseInt(vector.get("dictionary-id"));
		InMemoryDictionaryStore store = new InMemoryDictionaryStore();
		store.save(new Dictionary(id, "format-vector", HexFormat.of().parseHex(vector.get("dictionary-hex")),
				Instant.EPOCH, 0, Double.NaN, Double.NaN));
		store.setCurrent("format-vector", id);
		// written at the vector's policy level (dictionary level 0)
		DictionaryRegistry registry = new DictionaryRegistry(store, DictionarySettings.defaults().withLevel(0));
		dictionaries.add(registry);
		DictionaryTarget target = registry.target("format-vector");
		registry.refresh();
		return new ValueCompressor(policies, codecs, new CompressionStats(), null, registry, target);
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
			.writeVersion(Integer.parseInt(fields.getOrDefault("write-version", "1")))
			.minSize(0)
			.maxRatio(1.0)
			.build();
	}

	static Path findFormatDocument() {
		for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path candidate = dir.resolve("FORMAT.md");
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("FORMAT.md not found above " + Paths.get("").toAbsolutePath());
	}

}
