package io.github.compressredis.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.compressredis.core.DecodeFuzzer.Case;
import io.github.compressredis.core.DecodeFuzzer.Outcomes;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.dictionary.Dictionary;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.dictionary.DictionaryTarget;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.dictionary.DictionaryTrainer;
import io.github.compressredis.core.internal.dictionary.InMemoryDictionaryStore;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Decodes mutations of valid encodings, over a million of them: each either fails with a
 * {@link CompressedValueException} that names its fault, or decodes to what the mutated
 * header promises. Nothing else (no {@link OutOfMemoryError}, no index or null pointer
 * error) may escape. The mutation loop is {@link DecodeFuzzer}'s, which
 * {@link DecodeFuzzHarness} runs at any scale; a failure names the case and the seed.
 */
class DecodeFuzzTests {

	/**
	 * Random mutations per case; 60 cases make a little over a million with the fixed
	 * ones.
	 */
	private static final int RANDOM_MUTATIONS_PER_CASE = 17_000;

	private static final int FORGED_MAX = DecodeFuzzer.FORGED_MAX;

	@Test
	void mutatedEncodingsOfEveryCodecDecodeExactlyOrFailWithANamedFault() throws Exception {
		ValueCompressor compressor = DecodeFuzzer.compressor(CompressionPolicy.defaults());
		List<Case> cases = DecodeFuzzer.cases(compressor.getCodecs(), DecodeFuzzer.BASE_SEED);
		Outcomes total = new Outcomes();
		ExecutorService executor = Executors
			.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
		try {
			List<Future<Outcomes>> futures = new ArrayList<>();
			for (Case fuzzCase : cases) {
				futures.add(executor.submit(() -> DecodeFuzzer.fuzz(fuzzCase, compressor, RANDOM_MUTATIONS_PER_CASE)));
			}
			for (Future<Outcomes> future : futures) {
				total.add(unwrap(future));
			}
		}
		finally {
			executor.shutdownNow();
		}
		System.out.printf("%d decode attempts: %d failures %s, %d plain, %d exact%n", total.attempts, total.exceptions,
				total.faults, total.plainReads, total.exactDecodes);
		assertThat(total.attempts).as("decode attempts").isGreaterThanOrEqualTo(1_000_000);
		// every fault a mutation can cause was seen at least once
		assertThat(total.faults.keySet()).containsExactlyInAnyOrder(DecodeFault.values());
		assertThat(total.exactDecodes).as("mutations that do not change the result (e.g. gzip header fields)")
			.isPositive();
		CompressionStats stats = compressor.getStats();
		assertThat(stats.readFailures()).isEqualTo(total.exceptions);
		for (DecodeFault fault : DecodeFault.values()) {
			assertThat(stats.readFailures(fault)).as(fault.tag()).isEqualTo(total.faults.getOrDefault(fault, 0L));
		}
		assertThat(stats.plainReads()).isEqualTo(total.plainReads);
		assertThat(stats.compressedReads()).isEqualTo(total.attempts - total.exceptions - total.plainReads);
	}

	@Test
	void mutatedDictionaryEncodingsDecodeExactlyOrFailWithANamedFault() {
		List<byte[]> samples = Corpus.sample(Corpus.EMOJI, 500);
		InMemoryDictionaryStore store = new InMemoryDictionaryStore();
		store.save(new Dictionary(5, "fuzz", DictionaryTrainer.train(samples, 16 * 1024, 12), Instant.EPOCH,
				samples.size(), Double.NaN, Double.NaN));
		store.setCurrent("fuzz", 5);
		try (DictionaryRegistry registry = new DictionaryRegistry(store, DictionarySettings.defaults())) {
			DictionaryTarget target = registry.target("fuzz");
			registry.refresh();
			List<Case> cases = new ArrayList<>();
			for (boolean checksum : new boolean[] { true, false }) {
				CompressionPolicy policy = CompressionPolicy.builder()
					.minSize(0)
					.maxRatio(1.0)
					.checksum(checksum)
					.build();
				ValueCompressor writer = new ValueCompressor(new CompressionPolicyHolder(policy), new CodecRegistry(),
						new CompressionStats(), null, registry, target);
				for (int index : new int[] { 3, 40, 400 }) {
					byte[] original = samples.get(index);
					byte[] encoded = writer.compress(original);
					String name = "zstd-dictionary/" + original.length + "B" + (checksum ? "/crc" : "/no-crc");
					assertThat(WireFormat.parse(encoded).dictionaryId()).as(name).isEqualTo(5);
					cases.add(new Case(name, Algorithm.ZSTD, checksum, original, encoded,
							WireFormat.parse(encoded).payloadOffset(), DecodeFuzzer.BASE_SEED ^ name.hashCode()));
				}
			}
			ValueCompressor reader = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
					new CodecRegistry(), new CompressionStats(), null, registry, null);
			Outcomes total = new Outcomes();
			for (Case fuzzCase : cases) {
				total.add(DecodeFuzzer.fuzz(fuzzCase, reader, 20_000));
			}
			assertThat(total.attempts).isGreaterThan(120_000);
			assertThat(total.faults).containsKeys(DecodeFault.CHECKSUM_MISMATCH, DecodeFault.CORRUPT,
					DecodeFault.TRUNCATED, DecodeFault.MISSING_DICTIONARY);
			assertThat(reader.getStats().readFailures()).isEqualTo(total.exceptions);
		}
	}

	@ParameterizedTest
	@EnumSource(Algorithm.class)
	void forgedHugeDeclaredLengthIsRefusedBeforeAllocating(Algorithm algorithm) {
		ValueCompressor compressor = DecodeFuzzer.compressor(CompressionPolicy.defaults());
		for (boolean checksum : new boolean[] { true, false }) {
			byte[] forged = DecodeFuzzer.frame(algorithm.id(), FORGED_MAX, checksum, CodecRoundTripTests.random(10, 1));
			// a stored value's length is checked against the bytes it holds, which are
			// all in memory already
			assertRefusedQuickly(compressor, forged,
					(algorithm == Algorithm.NONE) ? DecodeFault.TRUNCATED : DecodeFault.TOO_LARGE);
		}
	}

	@ParameterizedTest
	@EnumSource(Algorithm.class)
	void forgedHugeDeclaredLengthIsRefusedBeforeAllocatingEvenWithTheLargestLimit(Algorithm algorithm) {
		ValueCompressor compressor = DecodeFuzzer
			.compressor(CompressionPolicy.builder().maxDecompressedSize(WireFormat.MAX_ORIGINAL_LENGTH).build());
		for (boolean checksum : new boolean[] { true, false }) {
			byte[] forged = DecodeFuzzer.frame(algorithm.id(), FORGED_MAX, checksum, CodecRoundTripTests.random(10, 1));
			assertRefusedQuickly(compressor, forged, DecodeFault.TOO_LARGE, DecodeFault.LENGTH_MISMATCH,
					DecodeFault.CORRUPT, DecodeFault.TRUNCATED);
		}
	}

	@Test
	void readFailureMessageNamesTheFaultCodecAndSizes() {
		ValueCompressor compressor = DecodeFuzzer.compressor(CompressionPolicy.defaults());
		byte[] forged = DecodeFuzzer.frame(Algorithm.LZ4.id(), 1000, true, new byte[] { 1, 2, 3 });
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> compressor.decompress(forged))
			.withMessageContaining("codec lz4")
			.withMessageContaining("declared size 1000 bytes")
			.withMessageContaining("stored size " + forged.length + " bytes")
			.satisfies((ex) -> assertThat(ex.getFault()).isNotNull());
	}

	private static void assertRefusedQuickly(ValueCompressor compressor, byte[] forged, DecodeFault... allowed) {
		long start = System.nanoTime();
		CompressedValueException ex = null;
		try {
			compressor.decompress(forged);
		}
		catch (CompressedValueException caught) {
			ex = caught;
		}
		long millis = (System.nanoTime() - start) / 1_000_000;
		assertThat(ex).as("forged value %s was decoded", HexFormat.of().formatHex(forged)).isNotNull();
		assertThat(ex.getFault()).isIn((Object[]) allowed);
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			assertThat(cause).as("refused before allocating the declared size").isNotInstanceOf(OutOfMemoryError.class);
		}
		assertThat(millis).as("refusal time in ms").isLessThan(500);
	}

	private static <T> T unwrap(Future<T> future) throws Exception {
		try {
			return future.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
