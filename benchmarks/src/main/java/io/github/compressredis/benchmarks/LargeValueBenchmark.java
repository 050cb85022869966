package io.github.compressredis.benchmarks;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.compressredis.testsupport.corpus.Corpus;
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
 * Heap allocated per value ({@code -prof gc}: {@code gc.alloc.rate.norm}) when the
 * serializer compresses and decompresses one big JSON value: a JSON array of
 * {@code mdn-bcd.jsonl} values, joined until it reaches {@code size} bytes. The target:
 * compress allocates at most 1.1x the stored output + 128 B, decompress at most the
 * original + 128 B, at every size.
 *
 * @author compress-redis contributors
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LargeValueBenchmark {

	/** Size of the generated JSON value in bytes. */
	@Param({ "65536", "1048576", "8388608", "33554432" })
	public int size;

	/** Codec under test, see {@link CodecUnderTest#create(String)}. */
	@Param({ "serializer-zstd3", "serializer-zstd1", "serializer-lz4", "serializer-gzip" })
	public String codec;

	private CodecUnderTest underTest;

	private byte[] value;

	private Object stored;

	@Setup(Level.Trial)
	public void setup() {
		this.underTest = CodecUnderTest.create(this.codec);
		this.value = jsonArray(Corpus.values("mdn-bcd.jsonl"), this.size);
		this.stored = this.underTest.prepare((byte[]) this.underTest.compress(this.value), this.value.length);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.underTest.close();
	}

	@Benchmark
	public Object compress() {
		return this.underTest.compress(this.value);
	}

	@Benchmark
	public Object decompress() {
		return this.underTest.decompress(this.stored);
	}

	/**
	 * Join corpus values into one JSON array of at most {@code size} bytes (cycling
	 * through the values if one pass is not enough), the shape of a big cached object.
	 * @param values the corpus values (each one JSON document)
	 * @param size the largest length wanted
	 * @return the array's UTF-8 bytes
	 */
	public static byte[] jsonArray(List<byte[]> values, int size) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(size);
		out.write('[');
		for (int i = 0;; i++) {
			byte[] next = values.get(i % values.size());
			if (out.size() + next.length + 2 > size) {
				if (out.size() > 1) {
					break;
				}
				continue;
			}
			if (out.size() > 1) {
				out.write(',');
			}
			out.write(next, 0, next.length);
		}
		out.write(']');
		return out.toByteArray();
	}

}
