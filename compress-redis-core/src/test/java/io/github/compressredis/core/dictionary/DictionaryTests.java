package io.github.compressredis.core.dictionary;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The stored form of a dictionary: read back exactly, and refused when it is not the one asked for.
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

}
