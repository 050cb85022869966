package io.github.compressredis.autoconfigure;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.management.JMException;
import javax.management.ObjectName;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.core.stats.FallbackReason;
import io.github.compressredis.core.stats.WriteOutcome;
import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.testsupport.corpus.Corpus;
import io.lettuce.core.RedisException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded soak on loopback: worker threads write and read random corpus values through
 * a {@link StringRedisTemplate} and an {@code @Cacheable} service while the policy flips
 * between codecs and levels every 100 ms, the redis-server is killed and restarted, and
 * another client overwrites random keys with garbage, truncated, bit-flipped and
 * length-forged framed values.
 * <p>
 * Verdict: no read returns a wrong value (each is exactly the value last written, a
 * counted {@link CompressedValueException}, a miss, or a connection error inside a
 * restart window), the statistics agree with the test's own tallies, no thread is stuck,
 * and the resident set size stays flat once warm. {@code -Dsoak.seconds} (default 20) and
 * {@code -Dsoak.threads} (default 4) size it; the corpus comes from {@code shared/corpus}
 * (the test fails without it on CI and is skipped elsewhere).
 */
class SoakTests {

	private static final int SECONDS = Integer.getInteger("soak.seconds", 20);

	private static final int THREADS = Integer.getInteger("soak.threads", 4);

	private static final int VIRTUAL_THREADS = Integer.getInteger("soak.virtual-threads", 32);

	private static final int KEYS_PER_THREAD = 64;

	private static final int CACHE_KEYS = 256;

	/**
	 * Corpus values above this size are left out, so that slow levels do not stall the
	 * loop.
	 */
	private static final int MAX_VALUE_SIZE = 256 * 1024;

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * Growth allowed, in each of the third and the last quarter of the run, of the
	 * resident memory outside the Java heap and the JVM's own non-heap pools (RSS minus
	 * the resident pages of the reserved heap minus the committed code cache and
	 * metaspace): codec contexts, direct and malloc'ed buffers, thread stacks. A leak
	 * grows with the work done, so in both quarters; a bounded cache filling up (a pooled
	 * codec context meeting its first large value at a slow level, a new allocator chunk
	 * or malloc arena, a late JIT burst on a loaded machine) is one step.
	 */
	private static final long NATIVE_GROWTH_PER_QUARTER_LIMIT_KB = 32 * 1024;

	private static final Pattern MAPPING = Pattern.compile("[0-9a-f]+-[0-9a-f]+");

	private static final Pattern HEAP_RANGE = Pattern.compile("\\[0x([0-9a-f]+), ?0x([0-9a-f]+)\\)");

	@AutoClose
	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataRedis(),
				CompressRedisAutoConfiguration.class, CompressRedisResilienceAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.cache()))
		.withUserConfiguration(SoakConfiguration.class)
		.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
				"spring.data.redis.timeout=" + COMMAND_TIMEOUT.toMillis() + "ms",
				"spring.data.redis.connect-timeout=1s", "spring.cache.type=redis", "spring.cache.cache-names=soak",
				"compress.redis.cache.fail-open=true",
				// a tight breaker, so that slow levels on large values trip it and it
				// recovers, under load
				"compress.redis.resilience.breaker.latency-budget=5ms", "compress.redis.resilience.breaker.window=2s",
				"compress.redis.resilience.breaker.minimum-calls=20", "compress.redis.resilience.breaker.cool-down=1s",
				"compress.redis.resilience.breaker.probes=2");

	@Test
	void platformThreadsNeverReadAWrongValueUnderFaultsPolicyFlipsAndHostileBytes() {
		List<String> corpus = SoakCorpus.values();
		this.contextRunner.withBean(SoakCorpus.class, () -> new SoakCorpus(corpus))
			.run((context) -> new Soak(context, corpus, THREADS, Executors.newFixedThreadPool(THREADS), "platform")
				.run());
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsNeverReadAWrongValueUnderFaultsPolicyFlipsAndHostileBytes() throws Exception {
		// compiled for Java 17: the virtual-thread executor is looked up reflectively
		Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
		List<String> corpus = SoakCorpus.values();
		this.contextRunner.withBean(SoakCorpus.class, () -> new SoakCorpus(corpus))
			.run((context) -> new Soak(context, corpus, VIRTUAL_THREADS, (ExecutorService) factory.invoke(null),
					"virtual")
				.run());
	}

	private static long rssKb() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			// not Linux: no RSS to compare
		}
		return 0;
	}

	/**
	 * Return the address range the JVM reserved for the Java heap, as reported by
	 * {@code GC.heap_info}, or {@code null} if it cannot be read.
	 */
	private static long @Nullable [] heapRange() {
		try {
			String info = (String) ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcHeapInfo",
						new Object[] { null }, new String[] { String[].class.getName() });
			Matcher matcher = HEAP_RANGE.matcher(info);
			if (matcher.find()) {
				return new long[] { Long.parseUnsignedLong(matcher.group(1), 16),
						Long.parseUnsignedLong(matcher.group(2), 16) };
			}
		}
		catch (JMException | RuntimeException ex) {
			// no diagnostic command: fall back to the committed heap
		}
		return null;
	}

	/**
	 * Return the resident size of the mappings inside an address range, in KB: the pages
	 * of the heap actually touched, which the committed size overstates while the heap
	 * grows into newly committed regions.
	 */
	private static long residentKb(long[] range) {
		long total = 0;
		boolean inside = false;
		try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/self/smaps"))) {
			String line;
			while ((line = reader.readLine()) != null) {
				int space = line.indexOf(' ');
				if (space > 0 && MAPPING.matcher(line.substring(0, space)).matches()) {
					int dash = line.indexOf('-');
					long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
					long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
					inside = start >= range[0] && end <= range[1];
				}
				else if (inside && line.startsWith("Rss:")) {
					total += Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		return total;
	}

	private static long nonHeapCommittedKb() {
		return ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted() / 1024;
	}

	private static long directBuffersKb() {
		return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.mapToLong(BufferPoolMXBean::getMemoryUsed)
			.sum() / 1024;
	}

	/**
	 * Run {@code VM.native_memory} with an argument; a diagnostic only, when the JVM runs
	 * with {@code -XX:NativeMemoryTracking=summary}.
	 */
	private static String nativeMemory(String argument) {
		try {
			return (String) ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
						new Object[] { new String[] { argument } }, new String[] { String[].class.getName() });
		}
		catch (JMException | RuntimeException ex) {
			return ex.toString();
		}
	}

	private static String threadDump() {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "\n\t"
					+ Arrays.stream(entry.getValue())
						.map(StackTraceElement::toString)
						.collect(Collectors.joining("\n\t")))
			.collect(Collectors.joining("\n"));
	}

	/**
	 * Paces the load and the chaos threads (policy flips, restarts, tampering, sampling);
	 * nothing here waits for a condition with it, and no assertion depends on how long it
	 * takes.
	 */
	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/**
	 * One soak run: its threads, its tallies and its verdict.
	 */
	private static final class Soak {

		private final ApplicationContext context;

		private final List<String> corpus;

		private final int threads;

		private final ExecutorService workers;

		private final String name;

		private final StringRedisTemplate template;

		private final SoakCacheService cache;

		private final CompressionStats stats;

		private final CompressionPolicyHolder policies;

		private final long startNanos = System.nanoTime();

		private final long endNanos = this.startNanos + TimeUnit.SECONDS.toNanos(SECONDS);

		private volatile boolean stop;

		/**
		 * Incremented before each kill and after each restart: odd while the server is
		 * down.
		 */
		private final AtomicLong restartEpoch = new AtomicLong();

		private final List<long[]> restartWindows = Collections.synchronizedList(new ArrayList<>());

		private final ConcurrentLinkedQueue<Long> connectionErrorTimes = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

		private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

		private final Map<String, LongAdder> tallies = new ConcurrentHashMap<>();

		private final List<long[]> rss = Collections.synchronizedList(new ArrayList<>());

		Soak(ApplicationContext context, List<String> corpus, int threads, ExecutorService workers, String name) {
			this.context = context;
			this.corpus = corpus;
			this.threads = threads;
			this.workers = workers;
			this.name = name;
			this.template = context.getBean(StringRedisTemplate.class);
			this.cache = context.getBean(SoakCacheService.class);
			this.stats = context.getBean(CompressionStats.class);
			this.policies = context.getBean(CompressionPolicyHolder.class);
		}

		void run() throws Exception {
			redis.command("FLUSHALL");
			ExecutorService chaos = Executors.newFixedThreadPool(4);
			List<Future<?>> futures = new ArrayList<>();
			List<Future<?>> chaosFutures = new ArrayList<>();
			try {
				chaosFutures.add(chaos.submit(this::flipPolicies));
				chaosFutures.add(chaos.submit(this::killAndRestart));
				chaosFutures.add(chaos.submit(this::tamper));
				chaosFutures.add(chaos.submit(this::sampleRss));
				for (int t = 0; t < this.threads; t++) {
					int thread = t;
					futures.add(this.workers.submit(() -> work(thread)));
				}
				// bounded joins: a stuck thread fails the test instead of hanging the
				// build
				long joinDeadline = this.endNanos + TimeUnit.SECONDS.toNanos(60);
				for (Future<?> future : futures) {
					awaitBounded(future, joinDeadline, "worker");
				}
				this.stop = true;
				for (Future<?> future : chaosFutures) {
					awaitBounded(future, System.nanoTime() + TimeUnit.SECONDS.toNanos(30), "chaos");
				}
			}
			finally {
				this.stop = true;
				this.workers.shutdownNow();
				chaos.shutdownNow();
				if (!redis.isRunning()) {
					redis.restart();
				}
			}
			verdict();
		}

		private void awaitBounded(Future<?> future, long deadline, String what) throws Exception {
			try {
				future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				throw new AssertionError(
						"a " + what + " thread of the " + this.name + " soak is stuck:\n" + threadDump(), ex);
			}
		}

		private void work(int thread) {
			SplittableRandom random = new SplittableRandom(0x50A4L * 31 + thread);
			KeyState[] keys = new KeyState[KEYS_PER_THREAD];
			for (int i = 0; i < keys.length; i++) {
				keys[i] = new KeyState("soak:" + this.name + ":" + thread + ":" + i);
			}
			while (System.nanoTime() < this.endNanos) {
				int operation = random.nextInt(10);
				if (operation < 4) {
					write(keys[random.nextInt(keys.length)], random);
				}
				else if (operation < 8) {
					read(keys[random.nextInt(keys.length)]);
				}
				else {
					cached(random.nextInt(CACHE_KEYS));
				}
			}
		}

		private void write(KeyState key, SplittableRandom random) {
			int index = random.nextInt(this.corpus.size());
			String value = valueOf(key.name, index);
			long epoch = this.restartEpoch.get();
			count("template.set.attempts");
			try {
				this.template.opsForValue().set(key.name, value);
				key.written(index, epoch);
				count("template.set.ok");
			}
			catch (DataAccessException ex) {
				// it may or may not have been applied, and may still be replayed after a
				// reconnect
				key.failed(index);
				connectionError(ex, "template.set");
			}
		}

		private void read(KeyState key) {
			count("template.get");
			String value;
			try {
				value = this.template.opsForValue().get(key.name);
			}
			catch (CompressedValueException ex) {
				count("template.get.undecodable");
				return;
			}
			catch (DataAccessException ex) {
				connectionError(ex, "template.get");
				return;
			}
			catch (RuntimeException ex) {
				this.unexpected.add("GET " + key.name + ": " + ex);
				return;
			}
			if (value == null) {
				if (!key.mayBeAbsent(this.restartEpoch.get())) {
					this.wrong.add("GET " + key.name + " missed, but it was written after the last restart");
				}
				count("template.get.miss");
				return;
			}
			if (!key.accepts(value, this)) {
				this.wrong.add("GET " + key.name + " returned a value never written there (" + value.length()
						+ " chars, starting " + value.substring(0, Math.min(40, value.length())) + ")");
				return;
			}
			count("template.get.exact");
		}

		private void cached(int key) {
			count("cache.calls");
			SoakCacheService.invoked.set(false);
			String value;
			try {
				value = this.cache.load(key);
			}
			catch (DataAccessException ex) {
				if (SoakCacheService.invoked.get()) {
					count("cache.invocations.failed");
				}
				connectionError(ex, "cache");
				return;
			}
			catch (RuntimeException ex) {
				this.unexpected.add("@Cacheable load(" + key + "): " + ex);
				return;
			}
			if (!SoakCacheService.expected(this.corpus, key).equals(value)) {
				this.wrong.add("@Cacheable load(" + key + ") returned another value");
				return;
			}
			count(SoakCacheService.invoked.get() ? "cache.invocations" : "cache.hits");
		}

		private void connectionError(DataAccessException ex, String what) {
			if (ex.getMostSpecificCause() instanceof CompressedValueException) {
				this.unexpected.add(what + ": undecodable value wrapped in " + ex);
				return;
			}
			this.connectionErrorTimes.add(System.nanoTime());
			count(what + ".connection-errors");
		}

		private void flipPolicies() {
			SplittableRandom random = new SplittableRandom(42);
			List<CompressionPolicy> policies = policies();
			while (!this.stop && System.nanoTime() < this.endNanos) {
				this.policies.update(policies.get(random.nextInt(policies.size())), PolicySource.API);
				count("policy.flips");
				sleep(100);
			}
		}

		private List<CompressionPolicy> policies() {
			List<CompressionPolicy> policies = new ArrayList<>();
			Object[][] choices = { { Algorithm.ZSTD, -5 }, { Algorithm.ZSTD, 1 }, { Algorithm.ZSTD, 3 },
					{ Algorithm.ZSTD, 9 }, { Algorithm.ZSTD, 19 }, { Algorithm.LZ4, 0 }, { Algorithm.LZ4, 9 },
					{ Algorithm.GZIP, 1 }, { Algorithm.GZIP, 6 }, { Algorithm.DEFLATE, 1 }, { Algorithm.DEFLATE, 9 },
					{ Algorithm.NONE, 0 }, { Algorithm.SNAPPY, 0 } };
			CodecRegistry codecs = this.context.getBean(CodecRegistry.class);
			for (Object[] choice : choices) {
				Algorithm algorithm = (Algorithm) choice[0];
				if (codecs.isAvailable(algorithm)) {
					policies.add(CompressionPolicy.builder().algorithm(algorithm).level((Integer) choice[1]).build());
				}
			}
			return policies;
		}

		private void killAndRestart() {
			SplittableRandom random = new SplittableRandom(7);
			long interval = TimeUnit.SECONDS.toNanos(7);
			long next = this.startNanos + TimeUnit.SECONDS.toNanos(4);
			while (!this.stop) {
				if (System.nanoTime() >= next) {
					if (System.nanoTime() > this.endNanos - TimeUnit.SECONDS.toNanos(4)) {
						return;
					}
					long start = System.nanoTime();
					this.restartEpoch.incrementAndGet();
					redis.kill();
					sleep(200 + random.nextInt(400));
					redis.restart();
					this.restartEpoch.incrementAndGet();
					this.restartWindows.add(new long[] { start, System.nanoTime() });
					count("server.restarts");
					next = System.nanoTime() + interval - TimeUnit.SECONDS.toNanos(1)
							+ random.nextLong(TimeUnit.SECONDS.toNanos(2));
				}
				sleep(50);
			}
		}

		private void tamper() {
			SplittableRandom random = new SplittableRandom(0xBADL);
			while (!this.stop && System.nanoTime() < this.endNanos) {
				sleep(10);
				try {
					String key = (random.nextInt(4) == 0) ? "soak::" + random.nextInt(CACHE_KEYS) : "soak:" + this.name
							+ ":" + random.nextInt(this.threads) + ":" + random.nextInt(KEYS_PER_THREAD);
					Object stored = redis.command("GET", key);
					if (!(stored instanceof byte[] bytes)) {
						continue;
					}
					byte[] hostile = Hostile.from(bytes, random, this);
					redis.command("SET", key, hostile);
					count("hostile.writes");
				}
				catch (RedisException | CancellationException ex) {
					// the server is being restarted
					count("hostile.connection-errors");
				}
			}
		}

		private void sampleRss() {
			long[] heapRange = heapRange();
			long warm = this.startNanos + (this.endNanos - this.startNanos) / 4;
			boolean baseline = false;
			while (!this.stop && System.nanoTime() < this.endNanos) {
				if (!baseline && System.nanoTime() >= warm) {
					baseline = true;
					nativeMemory("baseline");
				}
				long rssKb = rssKb();
				long committedHeapKb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
				long heapKb = (heapRange != null) ? residentKb(heapRange) : -1;
				this.rss.add(new long[] { System.nanoTime(), rssKb, (heapKb >= 0) ? heapKb : committedHeapKb,
						nonHeapCommittedKb(), directBuffersKb(), committedHeapKb });
				sleep(250);
			}
		}

		private void verdict() {
			long[] rss = byQuarter(1);
			long[] heap = byQuarter(2);
			long[] nonHeap = byQuarter(3);
			long[] direct = byQuarter(4);
			long[] outsideHeap = byQuarter(-1);
			Map<String, Long> counts = new java.util.TreeMap<>();
			this.tallies.forEach((key, adder) -> counts.put(key, adder.sum()));
			CompressionStats.Snapshot snapshot = this.stats.snapshot();
			System.out.printf(Locale.ROOT, "%s soak: %d s, %d threads, %d corpus values%n", this.name, SECONDS,
					this.threads, this.corpus.size());
			counts.forEach((key, value) -> System.out.printf(Locale.ROOT, "  %-40s %,12d%n", key, value));
			System.out.printf(Locale.ROOT, "  writes by outcome %s%n", snapshot.writesByOutcome());
			System.out.printf(Locale.ROOT, "  read failures by fault %s, cache fail-open %d%n",
					snapshot.readFailuresByFault(), snapshot.cacheFailOpens());
			System.out.printf(Locale.ROOT, "  fallbacks %s, breaker trips %s, breaker now %s%n",
					snapshot.fallbacksByReason(), snapshot.breakerTripsByReason(), snapshot.breaker().state());
			printQuarters("RSS", rss);
			printQuarters("resident heap", heap);
			printQuarters("code cache, metaspace", nonHeap);
			printQuarters("direct buffers", direct);
			printQuarters("native (RSS - both)", outsideHeap);
			printQuarters("committed heap", byQuarter(5));
			printQuarters("RSS - committed heap", byQuarter(-2));
			String tracked = nativeMemory("summary.diff");
			if (!tracked.contains("not enabled")) {
				System.out.printf(Locale.ROOT, "  native memory tracking, last quarter against the 2nd:%n%s%n",
						tracked);
			}

			assertThat(this.wrong).as("wrong values returned").isEmpty();
			assertThat(this.unexpected).as("unexpected failures").isEmpty();
			assertThat(connectionErrorsOutsideRestarts()).as("connection errors outside the restart windows").isZero();

			// the statistics agree with what the test did: one serialization per template
			// write attempt
			// and per @Cacheable invocation (its result is put), one decode per value
			// returned
			long invocations = tally("cache.invocations") + tally("cache.invocations.failed");
			assertThat(snapshot.writes()).as("writes counted").isEqualTo(tally("template.set.attempts") + invocations);
			long decoded = snapshot.compressedReads() + snapshot.plainReads();
			assertThat(decoded).as("values decoded").isEqualTo(tally("template.get.exact") + tally("cache.hits"));
			assertThat(this.stats.readFailures()).as("read failures counted")
				.isEqualTo(tally("template.get.undecodable") + this.stats.cacheFailOpens());
			assertThat(this.stats.cacheFailOpens()).as("fail-opens are recomputations")
				.isLessThanOrEqualTo(invocations);
			assertThat(this.stats.writes(WriteOutcome.FAILED))
				.isEqualTo(this.stats.fallbacks(FallbackReason.COMPRESSION_FAILED));
			assertThat(this.stats.fallbacks(FallbackReason.SLOW) + this.stats.fallbacks(FallbackReason.FAILING))
				.as("breaker fallbacks cover the skipped writes")
				.isGreaterThanOrEqualTo(this.stats.writes(WriteOutcome.SKIPPED));
			assertThat(snapshot.escapedWrites()).isZero();

			// every fault was exercised
			assertThat(tally("server.restarts")).as("restarts").isPositive();
			assertThat(tally("policy.flips")).as("policy flips").isGreaterThan(SECONDS * 5L);
			assertThat(tally("hostile.writes")).as("hostile writes").isPositive();
			assertThat(tally("template.get.exact")).as("exact reads").isPositive();
			assertThat(tally("template.get.undecodable")).as("undecodable values read").isPositive();
			assertThat(tally("template.get.miss")).as("misses").isPositive();
			assertThat(this.stats.cacheFailOpens()).as("cache fail-opens").isPositive();

			// the heap may grow up to -Xmx as it likes, and the JIT fill its code cache;
			// what must stay flat is the rest (codec contexts, native buffers, thread
			// stacks): the heap's own resident pages are subtracted, not its committed
			// size, which runs ahead of the pages touched while it grows
			long third = outsideHeap[2] - outsideHeap[1];
			long last = outsideHeap[3] - outsideHeap[2];
			assertThat(Math.min(third, last))
				.as("growth of native memory (RSS minus the resident heap, code cache and metaspace) in both the "
						+ "3rd and the last quarter, in KB (%d and %d)", third, last)
				.isLessThan(NATIVE_GROWTH_PER_QUARTER_LIMIT_KB);
		}

		private long connectionErrorsOutsideRestarts() {
			List<long[]> windows = new ArrayList<>(this.restartWindows);
			long grace = COMMAND_TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(3);
			return this.connectionErrorTimes.stream()
				.filter((time) -> windows.stream()
					.noneMatch((window) -> time >= window[0] - TimeUnit.MILLISECONDS.toNanos(100)
							&& time <= window[1] + grace))
				.count();
		}

		/**
		 * Return the largest sample of each quarter of the run, in KB.
		 * @param column 1 for RSS, 2 for the resident heap, 3 for the committed code
		 * cache and metaspace, 4 for direct buffers, 5 for the committed heap, -1 for RSS
		 * minus the resident heap, code cache and metaspace, -2 for RSS minus the
		 * committed heap
		 */
		private long[] byQuarter(int column) {
			long[] max = new long[4];
			long length = this.endNanos - this.startNanos;
			for (long[] sample : new ArrayList<>(this.rss)) {
				int quarter = (int) Math.min(3, Math.max(0, (sample[0] - this.startNanos) * 4 / length));
				long value = switch (column) {
					case -1 -> sample[1] - sample[2] - sample[3];
					case -2 -> sample[1] - sample[5];
					default -> sample[column];
				};
				max[quarter] = Math.max(max[quarter], value);
			}
			return max;
		}

		private static void printQuarters(String what, long[] quarters) {
			System.out.printf(Locale.ROOT, "  %-22s max by quarter (MB): %7.1f %7.1f %7.1f %7.1f; Q2 -> Q4 %+.1f MB%n",
					what, quarters[0] / 1024.0, quarters[1] / 1024.0, quarters[2] / 1024.0, quarters[3] / 1024.0,
					(quarters[3] - quarters[1]) / 1024.0);
		}

		void count(String name) {
			this.tallies.computeIfAbsent(name, (key) -> new LongAdder()).increment();
		}

		private long tally(String name) {
			LongAdder adder = this.tallies.get(name);
			return (adder != null) ? adder.sum() : 0;
		}

		String valueOf(String key, int index) {
			return key + "\n" + this.corpus.get(index);
		}

	}

	/**
	 * What a key may hold: the values written to it since its last confirmed write, and
	 * whether it may be absent. Only its worker thread touches it.
	 */
	private static final class KeyState {

		private final String name;

		/** Corpus indexes of values the key may hold; empty when never written. */
		private final List<Integer> candidates = new ArrayList<>();

		/**
		 * The restart epoch when the last confirmed write began (odd while a restart is
		 * under way); -1 when the key may be absent anyway.
		 */
		private long epoch = -1;

		KeyState(String name) {
			this.name = name;
		}

		void written(int index, long epochBefore) {
			this.candidates.clear();
			this.candidates.add(index);
			this.epoch = epochBefore;
		}

		void failed(int index) {
			this.candidates.add(index);
			this.epoch = -1;
		}

		boolean mayBeAbsent(long epochNow) {
			return this.epoch < 0 || (this.epoch & 1) == 1 || epochNow != this.epoch;
		}

		boolean accepts(String value, Soak soak) {
			for (int index : this.candidates) {
				if (soak.valueOf(this.name, index).equals(value)) {
					return true;
				}
			}
			return false;
		}

	}

	/**
	 * Hostile versions of a stored value, none of which decodes: magic followed by
	 * garbage (with a plausible header that claims a checksum), or a real framed value
	 * truncated, with payload bits flipped, or with a forged original length.
	 */
	private static final class Hostile {

		static byte[] from(byte[] stored, SplittableRandom random, Soak soak) {
			// tamper with values this test's writers framed (checksum present), or with
			// earlier garbage
			// whose header parses; anything else is replaced by garbage
			int payload = payloadOffset(stored);
			int kind = (payload > 0 && payload < stored.length) ? random.nextInt(4) : 0;
			switch (kind) {
				case 1 -> {
					soak.count("hostile.truncated");
					return Arrays.copyOf(stored, 2 + random.nextInt(stored.length - 2));
				}
				case 2 -> {
					soak.count("hostile.flipped");
					byte[] flipped = stored.clone();
					int flips = 1 + random.nextInt(8);
					for (int i = 0; i < flips; i++) {
						flipped[payload + random.nextInt(stored.length - payload)] ^= (byte) (1 << random.nextInt(8));
					}
					return flipped;
				}
				case 3 -> {
					soak.count("hostile.forged-length");
					return forgeLength(stored, random);
				}
				default -> {
					soak.count("hostile.garbage");
					byte[] garbage = new byte[8 + random.nextInt(4096)];
					random.nextBytes(garbage);
					garbage[0] = (byte) 0xC1;
					garbage[1] = (byte) 0x8D;
					// version 1, a real codec, and a checksum the garbage cannot match
					garbage[2] = (byte) (0x10 | random.nextInt(6));
					garbage[3] = 0x01;
					return garbage;
				}
			}
		}

		/**
		 * Return where the payload of a framed value with a checksum starts (after the
		 * magic, version, flags, length varint, any dictionary id and the checksum), or
		 * -1 if it is not one.
		 */
		private static int payloadOffset(byte[] stored) {
			if (stored.length < 5 || stored[0] != (byte) 0xC1 || stored[1] != (byte) 0x8D || (stored[3] & 0x01) == 0) {
				return -1;
			}
			int position = varintEnd(stored, 4);
			if (position > 0 && (stored[3] & 0x02) != 0) {
				position = varintEnd(stored, position);
			}
			return (position > 0) ? position + 4 : -1;
		}

		/** Return the index after a varint of at most 5 bytes, or -1 if there is none. */
		private static int varintEnd(byte[] bytes, int position) {
			for (int i = position; i < Math.min(bytes.length, position + 5); i++) {
				if ((bytes[i] & 0x80) == 0) {
					return i + 1;
				}
			}
			return -1;
		}

		private static byte[] forgeLength(byte[] stored, SplittableRandom random) {
			int lengthEnd = varintEnd(stored, 4);
			long declared = 0;
			for (int i = lengthEnd - 1; i >= 4; i--) {
				declared = (declared << 7) | (stored[i] & 0x7F);
			}
			long forged = switch (random.nextInt(3)) {
				case 0 -> declared + 1 + random.nextInt(64);
				case 1 -> declared - 1 - random.nextInt(64);
				default -> random.nextLong(Integer.MAX_VALUE - 8);
			};
			forged = Math.max(0, Math.min(Integer.MAX_VALUE - 9, forged));
			if (forged == declared) {
				forged = (declared == 0) ? 1 : declared - 1;
			}
			byte[] varint = varint(forged);
			byte[] result = new byte[stored.length - (lengthEnd - 4) + varint.length];
			System.arraycopy(stored, 0, result, 0, 4);
			System.arraycopy(varint, 0, result, 4, varint.length);
			System.arraycopy(stored, lengthEnd, result, 4 + varint.length, stored.length - lengthEnd);
			return result;
		}

		private static byte[] varint(long value) {
			byte[] bytes = new byte[10];
			int length = 0;
			long v = value;
			while ((v & ~0x7FL) != 0) {
				bytes[length++] = (byte) ((v & 0x7F) | 0x80);
				v >>>= 7;
			}
			bytes[length++] = (byte) v;
			return Arrays.copyOf(bytes, length);
		}

	}

	/**
	 * Corpus values (real JSON, 100 B to 256 KB): at most 400 of each file, spread over
	 * it.
	 */
	static final class SoakCorpus {

		private final List<String> list;

		SoakCorpus(List<String> list) {
			this.list = list;
		}

		List<String> list() {
			return this.list;
		}

		static List<String> values() {
			List<String> result = new ArrayList<>();
			for (String file : List.of(Corpus.CITY, Corpus.EMOJI, Corpus.MDN, Corpus.CITIES_BY_COUNTRY)) {
				List<byte[]> all = Corpus.values(file)
					.stream()
					.filter((value) -> value.length <= MAX_VALUE_SIZE)
					.toList();
				int step = Math.max(1, all.size() / 400);
				for (int i = 0; i < all.size(); i += step) {
					result.add(new String(all.get(i), StandardCharsets.UTF_8));
				}
			}
			assertThat(result).as("corpus values").hasSizeGreaterThan(100);
			return List.copyOf(result);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class SoakConfiguration {

		@Bean
		SoakCacheService soakCacheService(SoakCorpus corpus) {
			return new SoakCacheService(corpus.list());
		}

	}

	/**
	 * A cached method whose result for a key is always the same, so that any other value
	 * read from the cache is wrong.
	 */
	public static class SoakCacheService {

		static final ThreadLocal<Boolean> invoked = ThreadLocal.withInitial(() -> false);

		private final List<String> corpus;

		SoakCacheService(List<String> corpus) {
			this.corpus = corpus;
		}

		@Cacheable("soak")
		public String load(Integer key) {
			invoked.set(true);
			return expected(this.corpus, key);
		}

		static String expected(List<String> corpus, int key) {
			return "cached " + key + "\n" + corpus.get((int) ((key * 7919L) % corpus.size()));
		}

	}

}
