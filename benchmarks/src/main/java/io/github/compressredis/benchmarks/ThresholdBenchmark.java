package io.github.compressredis.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.policy.CompressionPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.data.redis.serializer.StringRedisSerializer;

/**
 * The cost of a value below {@code min-size}: a 64-byte string through
 * CompressingRedisSerializer(StringRedisSerializer) with the default policy (min-size
 * 128), against the StringRedisSerializer alone. Target: at most 30 ns more per value and
 * no extra allocation ({@code -prof gc}).
 *
 * @author compress-redis contributors
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class ThresholdBenchmark {

	/** 64 ASCII bytes, shaped like the small JSON records of the corpus. */
	static final String VALUE = "{\"name\":\"Vila\",\"lat\":\"42.531760\",\"lng\":\"1.56654\",\"country\":\"AD\"}";

	private final StringRedisSerializer plain = StringRedisSerializer.UTF_8;

	private final CompressingRedisSerializer<String> wrapped = CompressingRedisSerializer.of(this.plain,
			CompressionPolicy.defaults());

	private String value;

	private byte[] stored;

	@Setup
	public void setup() {
		// a fresh, non-constant String so the JIT cannot fold it
		this.value = new String(VALUE.toCharArray());
		if (this.value.length() != 64) {
			throw new IllegalStateException("value must be 64 bytes, is " + this.value.length());
		}
		if (this.value.length() >= CompressionPolicy.DEFAULT_MIN_SIZE) {
			throw new IllegalStateException("value must be below min-size");
		}
		this.stored = this.wrapped.serialize(this.value);
		if (this.stored.length != 64) {
			throw new IllegalStateException("a value below min-size must be stored plain");
		}
	}

	@Benchmark
	public byte[] serializePlain() {
		return this.plain.serialize(this.value);
	}

	@Benchmark
	public byte[] serializeWrapped() {
		return this.wrapped.serialize(this.value);
	}

	@Benchmark
	public String deserializePlain() {
		return this.plain.deserialize(this.stored);
	}

	@Benchmark
	public String deserializeWrapped() {
		return this.wrapped.deserialize(this.stored);
	}

}
