package io.github.compressredis.benchmarks;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import javax.imageio.ImageIO;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.codec.Codec;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.WriteOutcome;
import io.github.compressredis.testsupport.corpus.Corpus;

/**
 * Measures what recognising already compressed input saves on a mix of JSON (a corpus
 * file), the same JSON gzipped, and PNG images: the write path as it is (gzip and PNG
 * stored plain without a codec call), against the same values with the codec call the
 * write path made before for the gzip and PNG values (compress, then dropped by the ratio
 * gate). Both in one run, alternating rounds; prints the median time per value of each.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.compressredis.benchmarks.IncompressibleInputReport [file] [rounds]}
 *
 * @author compress-redis contributors
 */
public final class IncompressibleInputReport {

	private IncompressibleInputReport() {
	}

	public static void main(String[] args) {
		String file = (args.length > 0) ? args[0] : "city.jsonl";
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 9;
		List<byte[]> json = Corpus.values(file);
		List<byte[]> binary = new ArrayList<>();
		SplittableRandom random = new SplittableRandom(42);
		for (int i = 0; i < json.size(); i++) {
			binary.add((i % 2 == 0) ? gzip(json.get(i)) : png(random, 16 + random.nextInt(48)));
		}
		CompressionPolicy policy = CompressionPolicy.defaults();
		try (CodecRegistry codecs = new CodecRegistry()) {
			CompressionStats stats = new CompressionStats();
			ValueCompressor compressor = new ValueCompressor(new CompressionPolicyHolder(policy), codecs, stats);
			Codec codec = codecs.codec(Algorithm.ZSTD);
			long[] withSkip = new long[rounds];
			long[] withCodecCall = new long[rounds];
			long[] binaryWithSkip = new long[rounds];
			long[] binaryWithCodecCall = new long[rounds];
			long sink = 0;
			for (int round = -2; round < rounds; round++) {
				long jsonNanos = 0;
				long start = System.nanoTime();
				for (byte[] value : json) {
					sink += compressor.compress(value).length;
				}
				jsonNanos = System.nanoTime() - start;
				start = System.nanoTime();
				for (byte[] value : binary) {
					sink += compressor.compress(value).length;
				}
				long skipped = System.nanoTime() - start;
				start = System.nanoTime();
				for (byte[] value : binary) {
					sink += compressThenGate(codec, policy, value).length;
				}
				long called = System.nanoTime() - start;
				if (round >= 0) {
					withSkip[round] = jsonNanos + skipped;
					withCodecCall[round] = jsonNanos + called;
					binaryWithSkip[round] = skipped;
					binaryWithCodecCall[round] = called;
				}
			}
			int values = json.size() + binary.size();
			System.out.printf(Locale.ROOT,
					"%s: %,d JSON values (%,d bytes) and %,d gzip/PNG values (%,d bytes), zstd 3, "
							+ "%d rounds (median), checksum %s (sink %d)%n",
					file, json.size(), Corpus.totalBytes(json), binary.size(), Corpus.totalBytes(binary), rounds,
					policy.checksum(), sink % 10);
			System.out.printf(Locale.ROOT,
					"| | with signature skip | with the codec call | saved |%n|---|---:|---:|---:|%n");
			row("mix, per value (µs)", median(withSkip) / values, median(withCodecCall) / values);
			row("gzip/PNG only, per value (µs)", median(binaryWithSkip) / binary.size(),
					median(binaryWithCodecCall) / binary.size());
			System.out.printf(Locale.ROOT, "incompressible writes counted: %,d%n",
					stats.writes(WriteOutcome.INCOMPRESSIBLE));
		}
	}

	private static void row(String what, double skip, double call) {
		System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.0f%% |%n", what, skip / 1000, call / 1000,
				100 * (1 - skip / call));
	}

	/**
	 * What the write path did before for such a value: compress, then store plain if not
	 * worth it.
	 * @param codec the codec to compress with
	 * @param policy the policy whose level and ratio apply
	 * @param value the value to write
	 * @return the bytes that would be stored
	 */
	private static byte[] compressThenGate(Codec codec, CompressionPolicy policy, byte[] value) {
		int headerLength = WireFormat.headerLength(value.length, 0, policy.checksum());
		long maxStored = (long) Math.floor(value.length * policy.maxRatio());
		byte[] compressed = (maxStored > headerLength)
				? codec.compress(value, policy.level(), headerLength, (int) (maxStored - headerLength)) : null;
		return (compressed != null) ? compressed : value;
	}

	private static double median(long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static byte[] gzip(byte[] value) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/**
	 * A photo-like PNG: a gradient with noise, which PNG's own deflate cannot shrink much
	 * further.
	 * @param random the source of noise
	 * @param size the width and height in pixels
	 * @return the PNG's bytes
	 */
	private static byte[] png(SplittableRandom random, int size) {
		BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < size; y++) {
			for (int x = 0; x < size; x++) {
				int noise = random.nextInt(48);
				image.setRGB(x, y, ((x * 255 / size + noise) & 0xFF) << 16 | ((y * 255 / size + noise) & 0xFF) << 8
						| (random.nextInt(256) & 0xFF));
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "png", out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

}
