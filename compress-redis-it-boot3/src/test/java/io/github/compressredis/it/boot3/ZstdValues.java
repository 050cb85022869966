package io.github.compressredis.it.boot3;

import java.util.Arrays;

import com.github.luben.zstd.Zstd;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads a value as compress-redis stores it with zstd (FORMAT.md), independently of the
 * library's reader: the header, then one standard zstd frame that zstd-jni decodes on its
 * own.
 *
 * @author compress-redis contributors
 */
final class ZstdValues {

	private static final byte[] ZSTD_FRAME_MAGIC = { 0x28, (byte) 0xB5, 0x2F, (byte) 0xFD };

	private ZstdValues() {
	}

	/**
	 * Check that stored bytes are a framed zstd value and return the original bytes.
	 * @param stored the bytes as Redis holds them
	 * @return the decompressed original bytes
	 */
	static byte[] decode(byte[] stored) {
		assertThat(stored.length).as("stored length").isGreaterThan(9);
		assertThat(stored[0]).as("magic byte 0").isEqualTo((byte) 0xC1);
		assertThat(stored[1]).as("magic byte 1").isEqualTo((byte) 0x8D);
		int version = (stored[2] >> 4) & 0x0F;
		assertThat(version).as("format version").isBetween(1, 2);
		assertThat(stored[2] & 0x0F).as("codec id (1 = zstd)").isEqualTo(1);
		int flags = stored[3] & 0xFF;
		assertThat(flags & 0x02).as("dictionary flag").isZero();
		int offset = 4;
		long originalLength = 0;
		for (int shift = 0;; shift += 7) {
			int b = stored[offset++] & 0xFF;
			originalLength |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				break;
			}
		}
		if (version == 2 || (flags & 0x01) != 0) {
			offset += 4;
		}
		byte[] payload = Arrays.copyOfRange(stored, offset, stored.length);
		assertThat(Arrays.copyOf(payload, 4)).as("zstd frame magic").isEqualTo(ZSTD_FRAME_MAGIC);
		byte[] original = Zstd.decompress(payload, Math.toIntExact(originalLength));
		assertThat(original).hasSize(Math.toIntExact(originalLength));
		return original;
	}

}
