package io.github.compressredis.core;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.opentest4j.TestAbortedException;

import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads write and read through serializers that share one {@link ValueCompressor}
 * while the policy (algorithm, level, checksum) changes every millisecond: every value
 * reads back as written, and the counters add up.
 */
class ConcurrencyTests {

	private static final int THREADS = 8;

	private static final long DURATION_NANOS = TimeUnit.SECONDS.toNanos(3);

	/**
	 * Bounds the run by count as well as by time, so that memory stays bounded on fast
	 * machines.
	 */
	private static final int MAX_VALUES_PER_THREAD = 25_000;

	private static final int VIRTUAL_TASKS = 10_000;

	private static final int VALUES_PER_VIRTUAL_TASK = 10;

	private final CompressionPolicyHolder policies = new CompressionPolicyHolder(CompressionPolicy.defaults());

	private final CodecRegistry codecs = new CodecRegistry();

	private final ValueCompressor compressor = new ValueCompressor(this.policies, this.codecs, new CompressionStats());

	private final CompressingRedisSerializer<byte[]> bytes = new CompressingRedisSerializer<>(
			RedisSerializer.byteArray(), this.compressor);

	private final CompressingRedisSerializer<String> strings = new CompressingRedisSerializer<>(
			RedisSerializer.string(), this.compressor);

	private final AtomicLong serializeCalls = new AtomicLong();

	private final AtomicLong deserializeCalls = new AtomicLong();

	private final AtomicLong wrongValues = new AtomicLong();

	private final AtomicReference<String> firstWrong = new AtomicReference<>();

	private final AtomicBoolean swapping = new AtomicBoolean(true);

	private List<byte[]> pool;

	/**
	 * Which values of the pool are UTF-8 text, written through the string serializer half
	 * the time.
	 */
	private boolean[] text;

	private Thread swapper;

	private final AtomicLong policyChanges = new AtomicLong();

	@BeforeEach
	void startPolicySwapper() {
		this.pool = pool();
		this.text = new boolean[this.pool.size()];
		for (int i = 0; i < this.text.length; i++) {
			byte[] value = this.pool.get(i);
			this.text[i] = Arrays.equals(new String(value, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8),
					value);
		}
		List<CompressionPolicy> cycle = policyCycle();
		this.swapper = new Thread(() -> {
			int i = 0;
			while (this.swapping.get()) {
				this.policies.update(cycle.get(i++ % cycle.size()), PolicySource.API);
				this.policyChanges.incrementAndGet();
				LockSupport.parkNanos(1_000_000);
			}
		}, "policy-swapper");
		this.swapper.setDaemon(true);
		this.swapper.start();
	}

	@AfterEach
	void stopPolicySwapperAndCloseCodecs() throws InterruptedException {
		this.swapping.set(false);
		this.swapper.join(5_000);
		this.codecs.close();
	}

	@Test
	void platformThreadsReadBackEveryValueWhileThePolicyChanges() throws Exception {
		long deadline = System.nanoTime() + DURATION_NANOS;
		CountDownLatch start = new CountDownLatch(1);
		List<Writer> writers = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			Writer writer = new Writer(new SplittableRandom(1000 + t), MAX_VALUES_PER_THREAD, deadline, start);
			writers.add(writer);
			Thread thread = new Thread(writer, "writer-" + t);
			threads.add(thread);
			thread.start();
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(60));
			assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
		}
		for (Writer writer : writers) {
			assertThat(writer.failure).as("writer failure").isNull();
		}
		assertEverythingReadsBackAndCountersAddUp(writers);
		assertThat(this.policyChanges.get()).as("policy changes during the run").isGreaterThan(100);
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsReadBackEveryValueWhileThePolicyChanges() throws Exception {
		// compiled for Java 17: the virtual-thread executor is looked up reflectively
		Method factory = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
		List<Writer> writers = new ArrayList<>();
		CountDownLatch start = new CountDownLatch(0);
		long deadline = Long.MAX_VALUE;
		ExecutorService executor = (ExecutorService) factory.invoke(null);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int task = 0; task < VIRTUAL_TASKS; task++) {
				Writer writer = new Writer(new SplittableRandom(task), VALUES_PER_VIRTUAL_TASK, deadline, start);
				writers.add(writer);
				futures.add(executor.submit(writer));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdown();
			assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
		for (Writer writer : writers) {
			assertThat(writer.failure).as("writer failure").isNull();
		}
		assertThat(writers.stream().mapToInt((writer) -> writer.written.size()).sum())
			.isEqualTo(VIRTUAL_TASKS * VALUES_PER_VIRTUAL_TASK);
		assertEverythingReadsBackAndCountersAddUp(writers);
	}

	private void assertEverythingReadsBackAndCountersAddUp(List<Writer> writers) {
		// read every stored value again, after all policy changes
		long values = 0;
		for (Writer writer : writers) {
			for (Written written : writer.written) {
				values++;
				readAndCheck(written, "at the end");
			}
		}
		assertThat(this.wrongValues.get()).as("wrong values, first: %s", this.firstWrong.get()).isZero();
		assertThat(values).as("values written").isGreaterThan(1_000);
		System.out.printf("%d values written and read twice, %d policy changes%n", values, this.policyChanges.get());
		CompressionStats stats = this.compressor.getStats();
		assertThat(stats.readFailures()).isZero();
		assertThat(stats.writes()).as("writes").isEqualTo(this.serializeCalls.get());
		assertThat(stats.compressedReads() + stats.plainReads()).as("successful reads")
			.isEqualTo(this.deserializeCalls.get());
		assertThat(stats.compressedReads()).as("compressed reads").isPositive();
		assertThat(stats.plainReads()).as("plain reads").isPositive();
		assertThat(stats.escapedWrites()).as("escaped writes").isPositive();
		for (Algorithm algorithm : Algorithm.values()) {
			if (algorithm != Algorithm.NONE) {
				assertThat(stats.compressedWrites(algorithm)).as(algorithm.tag() + " writes").isPositive();
			}
		}
	}

	private void readAndCheck(Written written, String when) {
		byte[] original = this.pool.get(written.index);
		boolean same;
		this.deserializeCalls.incrementAndGet();
		if (written.asString) {
			String text = this.strings.deserialize(written.stored);
			same = text != null && Arrays.equals(text.getBytes(StandardCharsets.UTF_8), original);
		}
		else {
			same = Arrays.equals(this.bytes.deserialize(written.stored), original);
		}
		if (!same) {
			this.wrongValues.incrementAndGet();
			this.firstWrong.compareAndSet(null, "value " + written.index + " read " + when);
		}
	}

	/** Values from the corpus when present, and synthetic ones of every kind. */
	private static List<byte[]> pool() {
		List<byte[]> pool = new ArrayList<>();
		SplittableRandom random = new SplittableRandom(77);
		for (int i = 0; i < 300; i++) {
			int size = random.nextInt(1, 1 << (2 + random.nextInt(15)));
			pool.add(switch (i % 4) {
				case 0 -> CodecRoundTripTests.random(size, i);
				case 1 -> CodecRoundTripTests.repetitive(size);
				case 2 -> CodecRoundTripTests.text(size, i);
				default -> magicPrefixed(Math.max(2, size), i);
			});
		}
		if (corpusPresent()) {
			pool.addAll(Corpus.sample(Corpus.CITY, 200));
			pool.addAll(Corpus.sample(Corpus.EMOJI, 200));
			for (byte[] value : Corpus.sample(Corpus.MDN, 200)) {
				if (value.length <= 256 * 1024) {
					pool.add(value);
				}
			}
		}
		return pool;
	}

	/**
	 * Whether the shared corpus is there (absent: synthetic values only, but CI still
	 * fails).
	 */
	private static boolean corpusPresent() {
		try {
			Corpus.directory();
			return true;
		}
		catch (TestAbortedException ex) {
			return false;
		}
	}

	private static byte[] magicPrefixed(int size, long seed) {
		byte[] value = CodecRoundTripTests.random(size, seed);
		value[0] = (byte) 0xC1;
		value[1] = (byte) 0x8D;
		return value;
	}

	private static List<CompressionPolicy> policyCycle() {
		List<CompressionPolicy> cycle = new ArrayList<>();
		int[][] levels = { { 0 }, { -5, 1, 3, 6 }, { 0, 3 }, { 1, 6 }, { 1, 6 }, { 0 } };
		for (int round = 0; round < 2; round++) {
			for (Algorithm algorithm : Algorithm.values()) {
				for (int level : levels[algorithm.ordinal()]) {
					cycle.add(CompressionPolicy.builder()
						.algorithm(algorithm)
						.level(level)
						.minSize((round == 0) ? 64 : 0)
						.checksum((level + round) % 2 == 0)
						.build());
				}
			}
		}
		return cycle;
	}

	private record Written(int index, boolean asString, byte[] stored) {
	}

	/**
	 * Writes random values of the pool and reads each back at once; keeps what it stored.
	 */
	private final class Writer implements Runnable {

		private final SplittableRandom random;

		private final int maxValues;

		private final long deadline;

		private final CountDownLatch start;

		final List<Written> written = new ArrayList<>();

		volatile Throwable failure;

		Writer(SplittableRandom random, int maxValues, long deadline, CountDownLatch start) {
			this.random = random;
			this.maxValues = maxValues;
			this.deadline = deadline;
			this.start = start;
		}

		@Override
		public void run() {
			try {
				this.start.await();
				List<byte[]> pool = ConcurrencyTests.this.pool;
				for (int i = 0; i < this.maxValues && System.nanoTime() < this.deadline; i++) {
					int index = this.random.nextInt(pool.size());
					byte[] original = pool.get(index);
					boolean asString = ConcurrencyTests.this.text[index] && this.random.nextBoolean();
					byte[] stored = asString
							? ConcurrencyTests.this.strings.serialize(new String(original, StandardCharsets.UTF_8))
							: ConcurrencyTests.this.bytes.serialize(original);
					if (original.length != 0) {
						ConcurrencyTests.this.serializeCalls.incrementAndGet();
					}
					Written value = new Written(index, asString, stored);
					readAndCheck(value, "at once");
					this.written.add(value);
				}
			}
			catch (Throwable ex) {
				this.failure = ex;
			}
		}

	}

}
