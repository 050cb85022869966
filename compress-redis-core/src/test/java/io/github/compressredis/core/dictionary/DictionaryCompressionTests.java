package io.github.compressredis.core.dictionary;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDictDecompress;
import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.TestJson;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.dictionary.InMemoryDictionaryStore;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Writing and reading with trained dictionaries, in one process (an in-memory store), and
 * the ratios the corpus gets with a 16 KB dictionary at zstd 3 and with the defaults.
 */
class DictionaryCompressionTests {

	// a reservoir larger than what the tests offer, so that only their own check() trains
	private static final DictionarySettings SETTINGS = new DictionarySettings(1, 4000, 16 * 1024, 16 * 1024, 0, 32,
			0.05, 0.1, Duration.ofHours(1), Duration.ofHours(1));

	private final CodecRegistry codecs = new CodecRegistry();

	private final InMemoryDictionaryStore store = new InMemoryDictionaryStore();

	private final DictionaryRegistry registry = new DictionaryRegistry(this.store, SETTINGS);

	@AfterEach
	void close() {
		this.registry.close();
		this.codecs.close();
	}

	@Test
	void valuesWrittenBeforeAnyDictionaryReadAsBeforeAndLaterOnesNameTheDictionary() {
		List<byte[]> values = Corpus.values(Corpus.EMOJI);
		DictionaryTarget target = this.registry.target("cache:emoji");
		ValueCompressor compressor = compressor(target);
		byte[] before = compressor.compress(values.get(0));
		assertThat(target.check()).isNull();
		for (byte[] value : values.subList(0, 500)) {
			target.offer(value, 3);
		}
		assertThat(target.check()).isEqualTo(TrainingOutcome.PUBLISHED);
		assertThat(target.codec()).isNotNull();
		byte[] after = compressor.compress(values.get(1));
		Header header = WireFormat.parse(after);
		assertThat(header.dictionaryId()).isEqualTo(target.codec().id());
		assertThat(after[3] & WireFormat.FLAG_DICTIONARY).isEqualTo(WireFormat.FLAG_DICTIONARY);
		assertThat(compressor.decompress(before)).isEqualTo(values.get(0));
		assertThat(compressor.decompress(after)).isEqualTo(values.get(1));
		DictionaryStatus status = target.status();
		assertThat(status.dictionary().samples()).as("the 500 offered and the first write").isEqualTo(501);
		assertThat(status.ratio()).isLessThan(status.plainRatio());
		assertThat(this.registry.trainings(TrainingOutcome.PUBLISHED)).isEqualTo(1);
	}

	@Test
	void aStreamedWriteUsesTheDictionaryForSmallValuesAndStreamsBigOnesWithout() {
		DictionaryTarget target = trained("cache:emoji", Corpus.EMOJI);
		ValueCompressor compressor = compressor(target);
		byte[] small = Corpus.values(Corpus.EMOJI).get(3);
		byte[] big = TestJson.records(1024 * 1024).toString().getBytes(StandardCharsets.UTF_8);
		assertThat(big.length).isGreaterThan(Math.max(SETTINGS.maxSampleSize(), ValueCompressor.STREAMING_THRESHOLD));
		byte[] smallStored = compressor.compress((out) -> write(out, small));
		assertThat(WireFormat.parse(smallStored).dictionaryId()).isEqualTo(target.codec().id());
		assertThat(smallStored).isEqualTo(compressor.compress(small));
		byte[] bigStored = compressor.compress((out) -> write(out, big));
		assertThat(WireFormat.parse(bigStored).dictionaryId()).isZero();
		assertThat(bigStored).isEqualTo(compressor.compress(big));
		assertThat(compressor.decompress(smallStored, DictionaryCompressionTests::readAll)).isEqualTo(small);
		assertThat(compressor.decompress(bigStored, DictionaryCompressionTests::readAll)).isEqualTo(big);
	}

	@Test
	void aForgedDictionaryIdFailsWithMissingDictionaryNamingTheIdAndTheFix() {
		DictionaryTarget target = trained("cache:emoji", Corpus.EMOJI);
		ValueCompressor compressor = compressor(target);
		byte[] stored = compressor.compress(Corpus.values(Corpus.EMOJI).get(7));
		byte[] forged = withDictionaryId(stored, 99);
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> compressor.decompress(forged))
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(DecodeFault.MISSING_DICTIONARY))
			.withMessageContaining("dictionary 99")
			.withMessageContaining("in-memory dictionary store")
			.withMessageContaining("restore");
	}

	@Test
	void aReaderWithoutDictionariesFailsWithMissingDictionaryAndSaysHowToEnableThem() {
		DictionaryTarget target = trained("cache:emoji", Corpus.EMOJI);
		byte[] stored = compressor(target).compress(Corpus.values(Corpus.EMOJI).get(3));
		ValueCompressor plain = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
				this.codecs, new CompressionStats());
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> plain.decompress(stored))
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(DecodeFault.MISSING_DICTIONARY))
			.withMessageContaining("compress.redis.dictionary.enabled");
	}

	@Test
	void eachTargetTrainsItsOwnDictionaryAndReadersDecodeAnyOfThem() {
		DictionaryTarget emoji = trained("cache:emoji", Corpus.EMOJI);
		DictionaryTarget city = trained("cache:city", Corpus.CITY);
		assertThat(emoji.codec().id()).isNotEqualTo(city.codec().id());
		byte[] cityValue = Corpus.values(Corpus.CITY).get(11);
		byte[] stored = compressor(city).compress(cityValue);
		// a compressor of another target reads it: the id alone names the dictionary
		assertThat(compressor(emoji).decompress(stored)).isEqualTo(cityValue);
	}

	@Test
	void aDictionaryThatDoesNotImproveEnoughIsNotPublished() {
		DictionaryTarget target = trained("cache:emoji", Corpus.EMOJI);
		int id = target.codec().id();
		// same shape of values, no drift: the check measures and trains nothing
		for (byte[] value : Corpus.sample(Corpus.EMOJI, 500)) {
			target.offer(value, 3);
		}
		assertThat(target.check()).isNull();
		assertThat(target.codec().id()).isEqualTo(id);
	}

	@Test
	void valuesAreWrittenAtTheDictionaryLevelOrThePolicyLevelWhenItIsZero() {
		List<byte[]> values = Corpus.values(Corpus.EMOJI);
		for (int level : new int[] { 0, 12 }) {
			DictionarySettings settings = new DictionarySettings(1, 4000, 16 * 1024, 16 * 1024, level, 32, 0.05, 0.1,
					Duration.ofHours(1), Duration.ofHours(1));
			try (DictionaryRegistry registry = new DictionaryRegistry(new InMemoryDictionaryStore(), settings)) {
				DictionaryTarget target = registry.target("cache:emoji");
				for (byte[] value : Corpus.sample(Corpus.EMOJI, 500)) {
					target.offer(value, target.writeLevel(3));
				}
				assertThat(target.check()).isEqualTo(TrainingOutcome.PUBLISHED);
				ValueCompressor compressor = compressor(target);
				int expectedLevel = (level != 0) ? level : CompressionPolicy.defaults().level();
				int differing = 0;
				for (byte[] value : values.subList(0, 200)) {
					byte[] stored = compressor.compress(value);
					Header header = WireFormat.parse(stored);
					if (header.dictionaryId() == 0) {
						continue;
					}
					byte[] payload = Arrays.copyOfRange(stored, header.payloadOffset(), stored.length);
					assertThat(payload).isEqualTo(target.codec().compress(value, expectedLevel, 0, value.length));
					byte[] atOtherLevel = target.codec().compress(value, (level != 0) ? 3 : 12, 0, value.length);
					differing += Arrays.equals(payload, atOtherLevel) ? 0 : 1;
				}
				assertThat(differing).as("values whose payload depends on the level").isPositive();
			}
		}
	}

	@Test
	void valuesLongerThanMaxSampleSizeAreWrittenWithoutTheDictionaryAtThePolicyLevel() {
		DictionarySettings settings = SETTINGS.withLevel(12);
		try (DictionaryRegistry registry = new DictionaryRegistry(new InMemoryDictionaryStore(), settings)) {
			DictionaryTarget target = registry.target("cache:emoji");
			for (byte[] value : Corpus.sample(Corpus.EMOJI, 500)) {
				target.offer(value, 12);
			}
			assertThat(target.check()).isEqualTo(TrainingOutcome.PUBLISHED);
			ValueCompressor compressor = compressor(target);
			byte[] large = Corpus.ofSize(Corpus.EMOJI, settings.maxSampleSize() + 1);
			byte[] stored = compressor.compress(large);
			assertThat(WireFormat.parse(stored).dictionaryId()).as("no dictionary above max-sample-size").isZero();
			byte[] atPolicyLevel = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
					this.codecs, new CompressionStats())
				.compress(large);
			assertThat(stored).as("written as without dictionaries, at level 3").isEqualTo(atPolicyLevel);
			byte[] small = Corpus.values(Corpus.EMOJI).get(9);
			assertThat(WireFormat.parse(compressor.compress(small)).dictionaryId()).isEqualTo(target.codec().id());
			assertThat(compressor.decompress(stored)).isEqualTo(large);
		}
	}

	@Test
	void dictionaryPayloadsAreMagiclessFramesThatZstdReadsWithTheMagicPutBack() {
		DictionaryTarget target = trained("cache:emoji", Corpus.EMOJI);
		byte[] value = Corpus.values(Corpus.EMOJI).get(5);
		byte[] stored = compressor(target).compress(value);
		Header header = WireFormat.parse(stored);
		byte[] payload = Arrays.copyOfRange(stored, header.payloadOffset(), stored.length);
		byte[] magic = { (byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD };
		assertThat(Arrays.copyOf(payload, 4)).isNotEqualTo(magic);
		byte[] frame = new byte[payload.length + 4];
		System.arraycopy(magic, 0, frame, 0, 4);
		System.arraycopy(payload, 0, frame, 4, payload.length);
		byte[] dictionary = this.store.find(target.codec().id(), Integer.MAX_VALUE).bytes();
		assertThat(Zstd.decompress(frame, new ZstdDictDecompress(dictionary), value.length)).isEqualTo(value);
	}

	@Test
	void aDamagedMagiclessFrameHeaderFailsWithTheFaultThatNamesIt() {
		DictionaryTarget target = trained("cache:emoji", Corpus.EMOJI);
		ValueCompressor compressor = compressor(target);
		byte[] stored = compressor.compress(Corpus.values(Corpus.EMOJI).get(5));
		int payload = WireFormat.parse(stored).payloadOffset();
		byte[] reserved = stored.clone();
		reserved[payload] |= 0x08;
		assertFault(compressor, reserved, DecodeFault.CORRUPT, "reserved bit");
		byte[] withoutContentSize = stored.clone();
		withoutContentSize[payload] &= 0x03;
		assertFault(compressor, withoutContentSize, DecodeFault.CORRUPT, "without a content size");
		assertFault(compressor, Arrays.copyOf(stored, payload + 5), DecodeFault.TRUNCATED, "truncated");
	}

	private static void assertFault(ValueCompressor compressor, byte[] stored, DecodeFault fault, String text) {
		assertThatExceptionOfType(CompressedValueException.class).isThrownBy(() -> compressor.decompress(stored))
			.withMessageContaining(text)
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(fault));
	}

	@Test
	void aDictionaryLevelOutsideZstdsRangeIsRefusedWithTheRange() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DictionarySettings(1, 4000, 16 * 1024, 16 * 1024, 23, 32, 0.05, 0.1,
					Duration.ofHours(1), Duration.ofHours(1)))
			.withMessageContaining("'level'")
			.withMessageContaining("-22 to 22");
	}

	private static void write(OutputStream out, byte[] value) {
		try {
			out.write(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] readAll(InputStream in) {
		try {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private DictionaryTarget trained(String name, String file) {
		DictionaryTarget target = this.registry.target(name);
		for (byte[] value : Corpus.sample(file, 500)) {
			target.offer(value, 3);
		}
		assertThat(target.check()).isEqualTo(TrainingOutcome.PUBLISHED);
		return target;
	}

	private ValueCompressor compressor(DictionaryTarget target) {
		return new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()), this.codecs,
				new CompressionStats(), null, null, target);
	}

	/** The same value claiming another (one-byte) dictionary id. */
	static byte[] withDictionaryId(byte[] stored, int id) {
		Header header = WireFormat.parse(stored);
		int at = 4 + varintLength(header.originalLength());
		assertThat(header.dictionaryId()).isLessThan(128);
		byte[] forged = stored.clone();
		forged[at] = (byte) id;
		return forged;
	}

	private static int varintLength(int value) {
		int length = 1;
		while ((value >>>= 7) != 0) {
			length++;
		}
		return length;
	}

}
