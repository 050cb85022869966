package io.github.compressredis.autoconfigure.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.github.compressredis.autoconfigure.TestPayloads;
import io.github.compressredis.embedded.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compression and decompression of a value are Observations in a whole application
 * with Micrometer Tracing and Lettuce's observation on, as Boot sets them up, against a
 * real redis-server: each is a span, child of the request's span beside the Redis
 * command's span, and the timer the meter handler makes of it is the
 * {@code redis.compression.*} timer (one meter, one set of tags).
 */
@SpringBootTest(classes = CompressionTracingIntegrationTests.TestApplication.class,
		properties = { "spring.data.redis.host=127.0.0.1", "management.tracing.enabled=true",
				"management.tracing.sampling.probability=1.0", "spring.jmx.enabled=false",
				"spring.cloud.nacos.config.enabled=false", "spring.cloud.nacos.config.import-check.enabled=false" })
@DirtiesContext
class CompressionTracingIntegrationTests {

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private static final String LARGE = TestPayloads.json(8192);

	@Autowired
	private StringRedisTemplate stringRedisTemplate;

	@Autowired
	private ObservationRegistry observationRegistry;

	@Autowired
	private SimpleTracer tracer;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private MicrometerCompressionObserver observer;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", redis::port);
	}

	@Test
	void compressionSpansAreChildrenOfTheRequestBesideTheRedisCommandSpans() {
		assertThat(this.observer.isObserving()).isTrue();
		Observation.createNotStarted("test.request", this.observationRegistry).observe(() -> {
			this.stringRedisTemplate.opsForValue().set("traced", LARGE);
			assertThat(this.stringRedisTemplate.opsForValue().get("traced")).isEqualTo(LARGE);
		});
		List<SimpleSpan> spans = new ArrayList<>(this.tracer.getSpans());
		System.out.println("Span tree:\n" + tree(spans));
		SimpleSpan request = only(spans, "test.request");
		SimpleSpan compress = only(spans, "compress");
		SimpleSpan decompress = only(spans, "decompress");
		assertThat(compress.getParentId()).isEqualTo(request.getSpanId());
		assertThat(decompress.getParentId()).isEqualTo(request.getSpanId());
		assertThat(compress.getTags()).containsEntry("codec", "zstd")
			.containsEntry("outcome", "compressed")
			.containsEntry("target", "template:stringRedisTemplate")
			.containsEntry("original.size", Integer.toString(LARGE.length()));
		assertThat(Integer.parseInt(compress.getTags().get("stored.size"))).isLessThan(LARGE.length());
		assertThat(decompress.getTags()).containsEntry("codec", "zstd").containsEntry("outcome", "decoded");
		// Lettuce's command spans are siblings of the compression spans
		List<SimpleSpan> commands = spans.stream()
			.filter((span) -> span.getName().equalsIgnoreCase("set") || span.getName().equalsIgnoreCase("get"))
			.toList();
		assertThat(commands).hasSize(2)
			.allSatisfy((command) -> assertThat(command.getParentId()).isEqualTo(request.getSpanId()));
		// the Observation is the timer: one series per tag set, with the Observation's
		// key values
		List<Timer> timers = List.copyOf(this.meterRegistry.find("redis.compression.compress").timers());
		assertThat(timers).hasSize(1);
		assertThat(timers.get(0).getId().getTags()).extracting((tag) -> tag.getKey())
			.containsExactlyInAnyOrder("codec", "error", "outcome", "target");
		assertThat(timers.get(0).count()).isEqualTo(1);
		assertThat(this.meterRegistry.get("redis.compression.decompress").tag("outcome", "decoded").timer().count())
			.isEqualTo(1);
	}

	private static SimpleSpan only(List<SimpleSpan> spans, String name) {
		List<SimpleSpan> named = spans.stream().filter((span) -> name.equals(span.getName())).toList();
		assertThat(named).as(name).hasSize(1);
		return named.get(0);
	}

	private static String tree(List<SimpleSpan> spans) {
		Map<String, List<SimpleSpan>> children = spans.stream()
			.collect(Collectors.groupingBy((span) -> Objects.toString(span.getParentId(), "")));
		StringBuilder text = new StringBuilder();
		spans.stream()
			.filter((span) -> spans.stream().noneMatch((other) -> other.getSpanId().equals(span.getParentId())))
			.forEach((root) -> append(text, root, children, 0));
		return text.toString();
	}

	private static void append(StringBuilder text, SimpleSpan span, Map<String, List<SimpleSpan>> children, int depth) {
		text.append("  ".repeat(depth))
			.append("- ")
			.append(span.getName())
			.append(' ')
			.append(new java.util.TreeMap<>(span.getTags()))
			.append('\n');
		children.getOrDefault(span.getSpanId(), List.of())
			.stream()
			.sorted(Comparator.comparing(SimpleSpan::getStartTimestamp))
			.forEach((child) -> append(text, child, children, depth + 1));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		SimpleTracer simpleTracer() {
			return new SimpleTracer();
		}

	}

}
