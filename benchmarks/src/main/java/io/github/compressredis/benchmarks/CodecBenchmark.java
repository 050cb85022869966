package io.github.compressredis.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.compressredis.testsupport.corpus.Corpus;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every codec on every value of every corpus file, one value per invocation, cycling
 * through the file's values in file order, so every codec sees the same sequence; the one
 * exception is Redisson's LZ4CodecV2, which only gets values up to
 * {@link CodecUnderTest#REDISSON_LZ4V2_MAX_VALUE} bytes (see there why)
 * ({@code -p file=mdn-bcd.jsonl@4096} restricts a file to its values of at least 4096
 * bytes). {@code compress} and {@code decompress} are measured separately; decompression
 * reads values compressed once during setup, where each value's round trip is also
 * checked.
 * <p>
 * The primary score is values per second. The {@code bytes} secondary score counts the
 * original bytes processed per second in both directions, so MB/s is exact even for a
 * partial pass over a file; run with {@code -prof gc} for {@code gc.alloc.rate.norm}
 * (bytes allocated on the heap per value). The stored size per codec and file is printed
 * during setup; {@link RatioReport} writes it to CSV for the report.
 * <p>
 * The heap is touched when the fork starts ({@code -XX:+AlwaysPreTouch}): without it, a
 * one-second iteration of a cell that allocates its output spends up to a quarter of its
 * time in the kernel's first-touch page faults on new heap regions (async-profiler:
 * {@code exc_page_fault} under the output array's allocation), an amount that depends on
 * which regions the collector hands out and so differs from cell to cell of one run.
 *
 * @author compress-redis contributors
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class CodecBenchmark {

	/** Corpus file whose values are compressed and decompressed. */
	@Param({ "mdn-bcd.jsonl", "emoji.jsonl", "city.jsonl", "cities-by-country.jsonl" })
	public String file;

	/** Codec under test, see {@link CodecUnderTest#create(String)}. */
	@Param({ "serializer-zstd1", "serializer-zstd3", "serializer-zstd3-crc", "serializer-lz4", "serializer-gzip",
			"native-zstd1", "native-zstd3", "native-lz4", "redisson-zstd", "redisson-lz4", "redisson-lz4v2",
			"redisson-snappy", "lettuce-gzip" })
	public String codec;

	private CodecUnderTest impl;

	private byte[][] values;

	private int[] originalLengths;

	private Object[] prepared;

	private List<Object> preparedList;

	private int next;

	@Setup(Level.Trial)
	public void setup() {
		this.impl = CodecUnderTest.create(this.codec, this.file);
		List<byte[]> all = Corpus.values(this.file);
		List<byte[]> corpus = this.impl.usable(all);
		if (corpus.size() < all.size()) {
			System.out.printf(Locale.ROOT, "%n[skip] %s on %s: only the %d of %d values up to %d bytes%n", this.codec,
					this.file, corpus.size(), all.size(), this.impl.maxValueLength());
		}
		if (corpus.isEmpty()) {
			throw new IllegalStateException(this.codec + " has no value of " + this.file + " to work on");
		}
		this.values = corpus.toArray(new byte[0][]);
		this.originalLengths = new int[this.values.length];
		for (int i = 0; i < this.values.length; i++) {
			this.originalLengths[i] = this.values[i].length;
		}
		int[] storedLengths = new int[this.values.length];
		this.preparedList = CodecUnderTest.prepareAll(this.impl, corpus, storedLengths);
		this.prepared = this.preparedList.toArray();
		for (int i = 0; i < this.values.length; i++) {
			byte[] decoded = this.impl.decompress(this.prepared[i]);
			if (!Arrays.equals(decoded, this.values[i])) {
				throw new IllegalStateException(this.codec + " does not round-trip value " + i + " of " + this.file);
			}
		}
		long original = Corpus.totalBytes(corpus);
		long stored = Arrays.stream(storedLengths).asLongStream().sum();
		System.out.printf(Locale.ROOT, "%n[ratio] %s %s: %d values, %d -> %d bytes, ratio %.3f, mean value %.1f B%n",
				this.file, this.codec, this.values.length, original, stored, (double) original / stored,
				(double) original / this.values.length);
		this.next = 0;
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.impl.release(this.preparedList);
		this.impl.close();
	}

	private int nextIndex() {
		int index = this.next;
		this.next = (index + 1 == this.values.length) ? 0 : index + 1;
		return index;
	}

	@Benchmark
	public Object compress(Bytes counter) {
		byte[] value = this.values[nextIndex()];
		counter.bytes += value.length;
		return this.impl.compress(value);
	}

	@Benchmark
	public byte[] decompress(Bytes counter) {
		int index = nextIndex();
		counter.bytes += this.originalLengths[index];
		return this.impl.decompress(this.prepared[index]);
	}

	/**
	 * Original bytes processed, reported by JMH as a rate next to the primary score.
	 */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.OPERATIONS)
	public static class Bytes {

		/** Original bytes of the values processed in this iteration. */
		public long bytes;

		@Setup(Level.Iteration)
		public void reset() {
			this.bytes = 0;
		}

	}

}
