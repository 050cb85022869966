package io.github.compressredis.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.github.compressredis.autoconfigure.metrics.CompressionMeterFilter;
import io.github.compressredis.autoconfigure.metrics.CompressionMetrics;
import io.github.compressredis.autoconfigure.metrics.MicrometerCompressionObserver;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;
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

/**
 * The cost of timing each value: one compress and one decompress of a 1 KiB JSON value
 * (zstd level 3) with no observer ({@code none}), with the meters of a registry but no
 * Observation ({@code timers}, what the actuator without an ObservationRegistry gives),
 * with an Observation and Boot's meter handler ({@code observation}), and with a tracer
 * as well ({@code tracing}, micrometer-tracing-test's SimpleTracer, whose recorded spans
 * are dropped after each iteration). {@code disabledBranch} measures what observing adds
 * to a call when Observations are off: the call that asks the observer for a handle.
 *
 * @author compress-redis contributors
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class ObservationBenchmark {

	/**
	 * Statistics with the observer the auto-configuration sets when Observations are off.
	 */
	private final CompressionStats disabled = new CompressionStats();

	@Setup
	public void setUpDisabled() {
		this.disabled.setObserver(new MicrometerCompressionObserver(null, null));
	}

	@Benchmark
	public byte[] compressAndDecompress(Observed observed) {
		return observed.compressor.decompress(observed.compressor.compress(observed.value));
	}

	@Benchmark
	public Object disabledBranch() {
		return this.disabled.startCompress(Algorithm.ZSTD, 1024);
	}

	@Benchmark
	public Object baseline() {
		return this.disabled;
	}

	/**
	 * A compressor observed one way or another.
	 */
	@State(Scope.Thread)
	public static class Observed {

		@Param({ "none", "timers", "observation", "tracing" })
		private String mode;

		private ValueCompressor compressor;

		private SimpleTracer tracer;

		private byte[] value;

		@Setup
		public void setUp() {
			StringBuilder json = new StringBuilder("[");
			for (int i = 0; json.length() < 1024; i++) {
				json.append("{\"id\":").append(i).append(",\"name\":\"item-").append(i * 7919 % 1000).append("\"},");
			}
			this.value = json.append("{}]").toString().getBytes(StandardCharsets.UTF_8);
			CompressionPolicyHolder policies = new CompressionPolicyHolder(CompressionPolicy.defaults());
			CompressionStats stats = new CompressionStats();
			this.compressor = new ValueCompressor(policies, new CodecRegistry(), stats);
			if (this.mode.equals("none")) {
				return;
			}
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			registry.config().meterFilter(new CompressionMeterFilter(null, null));
			ObservationRegistry observations = null;
			if (!this.mode.equals("timers")) {
				observations = ObservationRegistry.create();
				if (this.mode.equals("tracing")) {
					this.tracer = new SimpleTracer();
					observations.observationConfig()
						.observationHandler(new DefaultTracingObservationHandler(this.tracer));
				}
				observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
			}
			MicrometerCompressionObserver observer = new MicrometerCompressionObserver(observations, null);
			stats.setObserver(observer);
			new CompressionMetrics(stats, policies, observer).bindTo(registry);
		}

		@Setup(Level.Iteration)
		public void dropSpans() {
			if (this.tracer != null) {
				this.tracer.getSpans().clear();
			}
		}

	}

}
