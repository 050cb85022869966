package io.github.compressredis.core.dictionary;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.github.compressredis.core.internal.dictionary.InMemoryDictionaryStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The stored form of a dictionary: read back exactly, and refused when it is not the one
 * asked for.
 */
class DictionaryTests {

	private final Dictionary dictionary = new Dictionary(12, "cache:products",
			"some dictionary bytes\n with a newline".getBytes(StandardCharsets.UTF_8),
			Instant.parse("2026-01-02T03:04:05Z"), 2000, 0.25, 0.5);

	@Test
	void storedFormReadsBackExactly() {
		Dictionary read = Dictionary.decode(12, this.dictionary.encode());
		assertThat(read.bytes()).isEqualTo(this.dictionary.bytes());
		assertThat(read.target()).isEqualTo("cache:products");
		assertThat(read.trainedAt()).isEqualTo(this.dictionary.trainedAt());
		assertThat(read.samples()).isEqualTo(2000);
		assertThat(read.ratio()).isEqualTo(0.25);
		assertThat(read.plainRatio()).isEqualTo(0.5);
	}

	@Test
	void storedFormUnderAnotherIdIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Dictionary.decode(13, this.dictionary.encode()))
			.withMessageContaining("id 13");
	}

	@Test
	void truncatedOrCorruptedStoredFormIsRefused() {
		byte[] encoded = this.dictionary.encode();
		byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 1);
		assertThatIllegalArgumentException().isThrownBy(() -> Dictionary.decode(12, truncated))
			.withMessageContaining("truncated or corrupt");
		byte[] flipped = encoded.clone();
		flipped[flipped.length - 1] ^= 1;
		assertThatIllegalArgumentException().isThrownBy(() -> Dictionary.decode(12, flipped))
			.withMessageContaining("truncated or corrupt");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Dictionary.decode(12, "not a dictionary".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void idZeroIsRefusedBecauseItMeansNoDictionary() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Dictionary(0, "t", new byte[] { 1 }, Instant.EPOCH, 0, 0, 0));
	}

	@Test
	void theEntryLineWritesTheCrcAsEightHexDigitsAndTheTargetLast() {
		byte[] bytes = withSmallCrc();
		int crc = io.github.compressredis.core.internal.format.WireFormat.crc32c(bytes, 0, bytes.length);
		Dictionary small = new Dictionary(5, "cache:products", bytes, Instant.parse("2026-01-02T03:04:05Z"), 20, 0.25,
				0.5);
		String line = line(small.encode());
		assertThat(line).isEqualTo("compress-redis-dictionary 1 id=5 size=" + bytes.length + " crc32c="
				+ String.format("%08x", crc) + " trained-at=2026-01-02T03:04:05Z samples=20 ratio=0.25 plain-ratio=0.5"
				+ " target=cache:products");
		assertThat(line).contains(" crc32c=0");
		assertThat(Dictionary.decode(5, small.encode()).bytes()).isEqualTo(bytes);
	}

	@Test
	void aRecordWrittenWithAnUnpaddedCrcAndASpaceInItsTargetStillReads() {
		byte[] bytes = withSmallCrc();
		int crc = io.github.compressredis.core.internal.format.WireFormat.crc32c(bytes, 0, bytes.length);
		String line = "compress-redis-dictionary 1 id=5 size=" + bytes.length + " crc32c=" + Integer.toHexString(crc)
				+ " trained-at=2026-01-02T03:04:05Z samples=20 ratio=0.25 plain-ratio=0.5 target=cache:my products\n";
		byte[] head = line.getBytes(StandardCharsets.UTF_8);
		byte[] record = java.util.Arrays.copyOf(head, head.length + bytes.length);
		System.arraycopy(bytes, 0, record, head.length, bytes.length);
		Dictionary read = Dictionary.decode(5, record);
		assertThat(read.bytes()).isEqualTo(bytes);
		assertThat(read.target()).isEqualTo("cache:my products");
	}

	@Test
	void aTargetNameWithWhitespaceOrControlCharactersIsRefusedAtRegistration() {
		try (DictionaryRegistry registry = new DictionaryRegistry(new InMemoryDictionaryStore(),
				DictionarySettings.defaults())) {
			for (String name : new String[] { "cache:my products", "cache:a\tb", "cache:a\nb", "cache:a\u00a0b", "",
					"x".repeat(Dictionary.MAX_TARGET_LENGTH + 1) }) {
				assertThatIllegalArgumentException().isThrownBy(() -> registry.target(name))
					.withMessageContaining("Dictionary target name");
			}
			assertThat(registry.targets()).isEmpty();
			assertThat(registry.target("cache:products-é").name()).isEqualTo("cache:products-é");
		}
	}

	@Test
	void idsBeyondWhatAHeaderCanCarryAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Dictionary(Dictionary.MAX_ID + 1, "t", new byte[] { 1 }, Instant.EPOCH, 0, 0, 0));
		assertThat(new Dictionary(Dictionary.MAX_ID, "t", new byte[] { 1 }, Instant.EPOCH, 0, 0, 0).id())
			.isEqualTo(io.github.compressredis.core.internal.format.WireFormat.MAX_DICTIONARY_ID);
	}

	/** Dictionary bytes whose CRC-32C has a leading zero digit. */
	private static byte[] withSmallCrc() {
		for (int i = 0;; i++) {
			byte[] bytes = ("dictionary " + i).getBytes(StandardCharsets.UTF_8);
			if (Integer.compareUnsigned(
					io.github.compressredis.core.internal.format.WireFormat.crc32c(bytes, 0, bytes.length),
					0x10000000) < 0) {
				return bytes;
			}
		}
	}

	private static String line(byte[] encoded) {
		String text = new String(encoded, StandardCharsets.ISO_8859_1);
		return new String(encoded, 0, text.indexOf('\n'), StandardCharsets.UTF_8);
	}

}
