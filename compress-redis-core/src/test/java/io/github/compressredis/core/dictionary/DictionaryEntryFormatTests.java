package io.github.compressredis.core.dictionary;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.github.compressredis.core.internal.format.WireFormat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The dictionary entry line follows {@code FORMAT.md}: a zero-padded CRC-32C and a target
 * without spaces, so that a reader splitting on spaces reads every field.
 */
class DictionaryEntryFormatTests {

	@Test
	void crcIsEightHexDigitsEvenWithLeadingZeros() {
		byte[] bytes = dictionaryWithSmallCrc();
		String line = line(new Dictionary(3, "cache", bytes, Instant.EPOCH, 10, 0.5, 0.8));

		assertThat(line).contains(" crc32c=" + String.format("%08x", WireFormat.crc32c(bytes, 0, bytes.length)) + " ");
		assertThat(line).containsPattern(" crc32c=0[0-9a-f]{7} ");
		assertThat(
				Dictionary.decode(3, new Dictionary(3, "cache", bytes, Instant.EPOCH, 10, 0.5, 0.8).encode()).bytes())
			.isEqualTo(bytes);
	}

	@Test
	void targetWithSpacesIsNeverWritten() {
		Dictionary dictionary = new Dictionary(4, "my cache\tname", new byte[] { 1, 2, 3 }, Instant.EPOCH, 1, 0.5, 0.5);

		assertThatIllegalArgumentException().isThrownBy(dictionary::encode).withMessageContaining("'my cache\tname'");
	}

	@Test
	void entryWrittenBeforeZeroPaddingStillReads() {
		byte[] bytes = dictionaryWithSmallCrc();
		String unpadded = Integer.toHexString(WireFormat.crc32c(bytes, 0, bytes.length));
		byte[] head = ("compress-redis-dictionary 1 id=5 size=" + bytes.length + " crc32c=" + unpadded
				+ " trained-at=1970-01-01T00:00:00Z samples=1 ratio=NaN plain-ratio=NaN target=a b\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] entry = new byte[head.length + bytes.length];
		System.arraycopy(head, 0, entry, 0, head.length);
		System.arraycopy(bytes, 0, entry, head.length, bytes.length);

		assertThat(unpadded).hasSizeLessThan(8);
		assertThat(Dictionary.decode(5, entry).bytes()).isEqualTo(bytes);
	}

	private static String line(Dictionary dictionary) {
		byte[] encoded = dictionary.encode();
		String text = new String(encoded, StandardCharsets.ISO_8859_1);
		return text.substring(0, text.indexOf('\n'));
	}

	/**
	 * The first of a deterministic sequence of small dictionaries whose CRC-32C starts
	 * with a 0 digit.
	 */
	private static byte[] dictionaryWithSmallCrc() {
		for (int i = 1;; i++) {
			byte[] bytes = ("dictionary " + i).getBytes(StandardCharsets.US_ASCII);
			if (Integer.compareUnsigned(WireFormat.crc32c(bytes, 0, bytes.length), 0x10000000) < 0) {
				return bytes;
			}
		}
	}

}
