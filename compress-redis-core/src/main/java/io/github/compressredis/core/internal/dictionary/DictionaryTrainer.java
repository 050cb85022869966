package io.github.compressredis.core.internal.dictionary;

import java.util.Arrays;
import java.util.List;

import com.github.luben.zstd.Zstd;
import io.github.compressredis.core.internal.codec.ZstdDictionaryCodec;
import io.github.compressredis.core.internal.format.WireFormat;

/**
 * Trains zstd dictionaries and estimates the stored/original ratio of samples (header and
 * checksum included; a value that does not shrink counts as stored plain).
 *
 * @author compress-redis contributors
 */
public final class DictionaryTrainer {

	private DictionaryTrainer() {
	}

	/**
	 * Train a dictionary with zstd's trainer.
	 * @param samples the samples
	 * @param size the largest dictionary size in bytes
	 * @return the dictionary
	 * @throws IllegalStateException if zstd cannot train one from these samples (too few,
	 * too small)
	 */
	public static byte[] train(List<byte[]> samples, int size) {
		return train(samples, size, 0);
	}

	/**
	 * Train a dictionary with zstd's trainer, tuned for the level values will be written
	 * at (its entropy tables are built from that level's matches).
	 * @param samples the samples
	 * @param size the largest dictionary size in bytes
	 * @param level the zstd level values will be written at, 0 for zstd's default
	 * @return the dictionary
	 * @throws IllegalStateException if zstd cannot train one from these samples (too few,
	 * too small)
	 */
	public static byte[] train(List<byte[]> samples, int size, int level) {
		byte[] buffer = new byte[size];
		long result = Zstd.trainFromBuffer(samples.toArray(new byte[0][]), buffer, false, level);
		if (Zstd.isError(result)) {
			throw new IllegalStateException("zstd could not train a dictionary from " + samples.size() + " samples: "
					+ Zstd.getErrorName(result));
		}
		return Arrays.copyOf(buffer, (int) result);
	}

	/**
	 * Return the ratio of the samples compressed with a dictionary.
	 * @param codec the dictionary
	 * @param samples the samples
	 * @param level the zstd level
	 * @return stored bytes / original bytes
	 */
	public static double ratio(ZstdDictionaryCodec codec, List<byte[]> samples, int level) {
		long original = 0;
		long stored = 0;
		for (byte[] sample : samples) {
			byte[] compressed = codec.compress(sample, level, 0, sample.length);
			int header = WireFormat.headerLength(sample.length, codec.id(), true);
			original += sample.length;
			stored += (compressed != null) ? Math.min(sample.length, header + compressed.length) : sample.length;
		}
		return (original > 0) ? (double) stored / original : Double.NaN;
	}

	/**
	 * Return the ratio of the samples compressed without a dictionary.
	 * @param samples the samples
	 * @param level the zstd level
	 * @return stored bytes / original bytes
	 */
	public static double plainRatio(List<byte[]> samples, int level) {
		long original = 0;
		long stored = 0;
		for (byte[] sample : samples) {
			int header = WireFormat.headerLength(sample.length, 0, true);
			original += sample.length;
			stored += Math.min(sample.length, header + Zstd.compress(sample, level).length);
		}
		return (original > 0) ? (double) stored / original : Double.NaN;
	}

}
