package io.github.compressredis.embedded;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Computes the Redis Cluster hash slot of a key: CRC16-XMODEM of the key (or of its non-empty {@code {hash tag}})
 * modulo 16384.
 */
public final class ClusterSlots {

	/** Number of hash slots in a Redis Cluster. */
	public static final int SLOT_COUNT = 16384;

	private static final int[] CRC16_TABLE = new int[256];

	static {
		for (int i = 0; i < 256; i++) {
			int crc = i << 8;
			for (int bit = 0; bit < 8; bit++) {
				crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
			}
			CRC16_TABLE[i] = crc & 0xFFFF;
		}
	}

	private ClusterSlots() {
	}

	/**
	 * Returns the slot of a raw key, honouring hash tags the way Redis does.
	 * @param key the key bytes
	 * @return the slot, in {@code [0, 16384)}
	 */
	public static int slot(byte[] key) {
		Objects.requireNonNull(key, "'key' must not be null");
		int start = 0;
		int end = key.length;
		int open = indexOf(key, (byte) '{', 0);
		if (open >= 0) {
			int close = indexOf(key, (byte) '}', open + 1);
			if (close > open + 1) {
				start = open + 1;
				end = close;
			}
		}
		return crc16(key, start, end) & (SLOT_COUNT - 1);
	}

	/**
	 * Returns the slot of a key given as text (encoded as UTF-8).
	 * @param key the key
	 * @return the slot, in {@code [0, 16384)}
	 */
	public static int slot(String key) {
		Objects.requireNonNull(key, "'key' must not be null");
		return slot(key.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Returns the CRC16-XMODEM checksum (polynomial 0x1021, initial value 0) of a byte range.
	 * @param bytes the data
	 * @param from first index, inclusive
	 * @param to last index, exclusive
	 * @return the checksum, in {@code [0, 65536)}
	 */
	static int crc16(byte[] bytes, int from, int to) {
		int crc = 0;
		for (int i = from; i < to; i++) {
			crc = ((crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
		}
		return crc;
	}

	private static int indexOf(byte[] bytes, byte wanted, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == wanted) {
				return i;
			}
		}
		return -1;
	}
}
