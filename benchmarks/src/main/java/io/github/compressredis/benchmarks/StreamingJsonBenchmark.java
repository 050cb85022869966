package io.github.compressredis.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.compressredis.core.ValueCompressor;
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
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Heap allocated per object ({@code -prof gc}) writing and reading a big object (a JSON
 * array of corpus values) through today's byte-array path ({@code bytes}: Spring Data
 * Redis's {@code JacksonJsonRedisSerializer} wrapped) and the streaming JSON serializer,
 * zstd 3.
 *
 * @author compress-redis contributors
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class StreamingJsonBenchmark {

	/** Size of the JSON document in megabytes. */
	@Param({ "1", "15", "50" })
	public int megabytes;

	/** Whether the document is serialized to one byte array first or streamed. */
	@Param({ "bytes", "streaming" })
	public String mode;

	private RedisSerializer<Object> serializer;

	private List<String> object;

	private byte[] stored;

	@Setup(Level.Trial)
	public void setup() {
		ValueCompressor compressor = StreamingJson.compressor();
		this.serializer = StreamingJson.serializer(this.mode, JsonMapper.builder().build(), compressor);
		this.object = StreamingJson.object(this.megabytes);
		this.stored = this.serializer.serialize(this.object);
	}

	@Benchmark
	public byte[] serialize() {
		return this.serializer.serialize(this.object);
	}

	@Benchmark
	public Object deserialize() {
		return this.serializer.deserialize(this.stored);
	}

}
