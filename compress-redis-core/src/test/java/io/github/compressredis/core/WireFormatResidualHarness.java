package io.github.compressredis.core;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import io.github.compressredis.core.DecodeFuzzer.Case;
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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures, per format version, how many damaged or foreign values reach an application
 * unnoticed: the residual rates {@code FORMAT.md} section 6 states. Values written by
 * compress-redis (every codec, checksum on and off, with a dictionary, escaped values)
 * each get one of {@link DecodeFuzzer}'s random mutations; random values beginning with
 * the magic stand for values other programs wrote. Not part of the normal test run
 * ({@code WireFormatResidualTests} runs a bounded version); run it with
 *
 * <pre>
 * mvn -B -o -pl compress-redis-core -am test -Dtest=WireFormatResidualHarness -Dresidual.values=1000000 -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class WireFormatResidualHarness {

	static final long SEED = 0x7E51D0A1L;

	private static final byte[] DICTIONARY = ("{\"id\":,\"name\":\"compress-redis\",\"tags\":[\"redis\",\"cache\"],"
			+ "\"note\":\"hello hello\",\"enabled\":true,\"count\":")
		.getBytes(StandardCharsets.UTF_8);

	@Test
	@EnabledIfSystemProperty(named = "residual.values", matches = "\\d+")
	void measure() {
		long values = Long.getLong("residual.values");
		for (int version : new int[] { WireFormat.VERSION, WireFormat.VERSION_2 }) {
			print(version, damaged(version, values, SEED), "damaged values");
			print(version, foreign(version, values, SEED, false), "foreign values C1 8D " + version + "x");
			print(version, foreign(version, values, SEED, true), "foreign values C1 8D " + version + "0");
		}
	}

	/**
	 * Write damaged and foreign values of both versions with the Java reader's result,
	 * one per line, for {@code docs/reference-reader/compress_redis_reader.py --compare}:
	 * the reader written from FORMAT.md must report the same fault on each. <pre>
	 * mvn -B -o -pl compress-redis-core -am test -Dtest=WireFormatResidualHarness -Dresidual.compare=/tmp/values.txt -Dsurefire.failIfNoSpecifiedTests=false
	 * python3 docs/reference-reader/compress_redis_reader.py --compare /tmp/values.txt
	 * </pre>
	 * @throws IOException if the file cannot be written
	 */
	@Test
	@EnabledIfSystemProperty(named = "residual.compare", matches = ".+")
	void writeValuesForTheReferenceReader() throws IOException {
		long values = Long.getLong("residual.values", 50_000);
		String dictionary = " " + HexFormat.of().formatHex(DICTIONARY);
		try (BufferedWriter out = Files.newBufferedWriter(Path.of(System.getProperty("residual.compare")))) {
			ResultSink sink = (value, result) -> {
				try {
					out.write(result + " " + HexFormat.of().formatHex(value) + dictionary + "\n");
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			};
			for (int version : new int[] { WireFormat.VERSION, WireFormat.VERSION_2 }) {
				damaged(version, values, SEED, sink);
				foreign(version, values, SEED, false, sink);
				foreign(version, values, SEED, true, sink);
			}
		}
	}

	private static void print(int version, Result result, String what) {
		System.out.printf(Locale.ROOT,
				"version %d, %s: %,d read, %,d refused, %,d exact, %,d read as plain (magic damaged), "
						+ "%,d silent (other bytes returned): %.3g; of those written with the checksum: %,d, "
						+ "without it: %,d with the header intact (payload damage), %,d with the header damaged%n",
				version, what, result.reads, result.refused, result.exact, result.plain, result.silent,
				(double) result.silent / result.reads, result.silentWithChecksum, result.silentPayloadOnly,
				result.silent - result.silentWithChecksum - result.silentPayloadOnly);
	}

	/**
	 * Read {@code values} mutated values written in a version.
	 * @param version the format version written
	 * @param values how many
	 * @param seed the seed
	 * @return what the reads did
	 */
	static Result damaged(int version, long values, long seed) {
		return damaged(version, values, seed, null);
	}

	static Result damaged(int version, long values, long seed, @Nullable ResultSink sink) {
		try (CodecRegistry codecs = new CodecRegistry()) {
			InMemoryDictionaryStore store = new InMemoryDictionaryStore();
			store.save(new Dictionary(7, "residual", DICTIONARY, Instant.EPOCH, 0, Double.NaN, Double.NaN));
			store.setCurrent("residual", 7);
			try (DictionaryRegistry registry = new DictionaryRegistry(store, DictionarySettings.defaults())) {
				DictionaryTarget target = registry.target("residual");
				registry.refresh();
				List<Case> cases = cases(version, codecs, registry, target);
				ValueCompressor reader = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
						codecs, new CompressionStats(), null, registry, null);
				SplittableRandom random = new SplittableRandom(seed ^ version);
				Result result = new Result(sink);
				for (long i = 0; i < values; i++) {
					Case damaged = cases.get((int) (i % cases.size()));
					byte[] mutated = DecodeFuzzer.mutate(damaged, random.nextInt(DecodeFuzzer.MUTATION_KINDS), random);
					result.read(reader, mutated, damaged);
				}
				return result;
			}
		}
	}

	/**
	 * Read {@code values} random values that begin with the magic and a version byte.
	 * @param version the version nibble of the third byte
	 * @param values how many
	 * @param seed the seed
	 * @param storedOnly whether the third byte names the stored codec (else a random
	 * codec)
	 * @return what the reads did; every successful read is silent
	 */
	static Result foreign(int version, long values, long seed, boolean storedOnly) {
		return foreign(version, values, seed, storedOnly, null);
	}

	static Result foreign(int version, long values, long seed, boolean storedOnly, @Nullable ResultSink sink) {
		try (CodecRegistry codecs = new CodecRegistry()) {
			ValueCompressor reader = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
					codecs, new CompressionStats());
			SplittableRandom random = new SplittableRandom(seed ^ (version * 31L) ^ (storedOnly ? 1 : 0));
			Result result = new Result(sink);
			for (long i = 0; i < values; i++) {
				byte[] value = new byte[random.nextInt(3, 67)];
				random.nextBytes(value);
				value[0] = WireFormat.MAGIC_0;
				value[1] = WireFormat.MAGIC_1;
				value[2] = (byte) ((version << 4) | (storedOnly ? 0 : random.nextInt(16)));
				result.read(reader, value, null);
			}
			return result;
		}
	}

	/**
	 * Values a writer of the version produces: every codec, checksum on and off, a
	 * dictionary, an escape.
	 */
	private static List<Case> cases(int version, CodecRegistry codecs, DictionaryRegistry registry,
			DictionaryTarget target) {
		List<byte[]> inputs = new ArrayList<>();
		inputs.add(("{\"id\":42,\"name\":\"compress-redis\",\"tags\":[\"redis\",\"redis\",\"redis\"],"
				+ "\"note\":\"hello hello hello hello hello\"}")
			.getBytes(StandardCharsets.UTF_8));
		inputs.add(TestJson.json(1024));
		byte[] escaped = TestJson.json(300);
		escaped[0] = WireFormat.MAGIC_0;
		escaped[1] = WireFormat.MAGIC_1;
		List<Case> cases = new ArrayList<>();
		for (Algorithm algorithm : Algorithm.values()) {
			if (!codecs.isAvailable(algorithm)) {
				continue;
			}
			for (boolean checksum : new boolean[] { true, false }) {
				for (boolean dictionary : new boolean[] { false, true }) {
					if (dictionary && algorithm != Algorithm.ZSTD) {
						continue;
					}
					CompressionPolicy policy = CompressionPolicy.builder()
						.algorithm(algorithm)
						.checksum(checksum)
						.minSize(0)
						.maxRatio(1.0)
						.writeVersion(version)
						.build();
					ValueCompressor writer = new ValueCompressor(new CompressionPolicyHolder(policy), codecs,
							new CompressionStats(), null, registry, dictionary ? target : null);
					List<byte[]> values = (algorithm == Algorithm.NONE) ? List.of(escaped) : inputs;
					for (byte[] input : values) {
						// a codec that cannot shrink a small value stores it plain: such
						// a value has no frame to damage
						byte[] encoded = writer.compress(input);
						if (!WireFormat.isFramed(encoded)) {
							continue;
						}
						if (!Arrays.equals(writer.decompress(encoded), input)) {
							throw new AssertionError(algorithm + " did not write a framed value that reads back");
						}
						String name = algorithm.tag() + "/" + input.length + (checksum ? "/crc" : "")
								+ (dictionary ? "/dict" : "");
						cases.add(new Case(name, algorithm, checksum, input, encoded,
								WireFormat.parse(encoded).payloadOffset(), SEED));
					}
				}
			}
		}
		return cases;
	}

	/**
	 * Receives each value read and the Java reader's result: {@code ok} or the fault's
	 * name.
	 */
	interface ResultSink {

		void accept(byte[] value, String result);

	}

	/** What the reads of one experiment did. */
	static final class Result {

		private final @Nullable ResultSink sink;

		long reads;

		long refused;

		long exact;

		long plain;

		long silent;

		long silentWithChecksum;

		long silentPayloadOnly;

		Result(@Nullable ResultSink sink) {
			this.sink = sink;
		}

		void read(ValueCompressor reader, byte[] value, @Nullable Case written) {
			this.reads++;
			byte[] read;
			try {
				read = reader.decompress(value);
			}
			catch (CompressedValueException ex) {
				this.refused++;
				if (this.sink != null) {
					this.sink.accept(value, ex.getFault().tag());
				}
				return;
			}
			if (this.sink != null) {
				this.sink.accept(value, "ok");
			}
			if (!WireFormat.isFramed(value)) {
				this.plain++;
			}
			else if (written != null && Arrays.equals(read, written.original())) {
				this.exact++;
			}
			else {
				this.silent++;
				if (written != null && written.checksum()) {
					this.silentWithChecksum++;
				}
				else if (written != null && value.length >= written.payloadOffset() && Arrays.equals(value, 0,
						written.payloadOffset(), written.encoded(), 0, written.payloadOffset())) {
					this.silentPayloadOnly++;
				}
			}
		}

	}

}
