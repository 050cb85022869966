package io.github.compressredis.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.embedded.RespConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * End to end against a real redis-server that it starts on 127.0.0.1: for each corpus file and
 * each mode (plain, zstd3, lz4, gzip) it empties the server, loads every value of the file
 * through a {@code RedisTemplate<String, byte[]>} on Lettuce, and records the growth of
 * {@code INFO memory used_memory} and the sum of {@code MEMORY USAGE} over the keys; then it runs
 * a bounded SET/GET mix (alternating, over the loaded keys) from 2 client threads sharing the
 * template's connection, and records SET and GET p50/p99 latency and ops/s. The compressing modes
 * use the default policy thresholds (min-size 128 B, max-ratio 0.9, checksum on) with the given
 * algorithm. Mode {@code zstd3-dict} (not in the default list) first trains a dictionary with the
 * default dictionary settings on up to 2,000 of the file's even-numbered values, then loads them all through a
 * dictionary-enabled compressor; {@code zstd3-dict:<size KB>k:<level>} does the same with another
 * dictionary size and level (level 0: the policy's), and {@code zstd3-dict:16k:0} is how
 * dictionaries were written before the defaults were measured. {@code MEMORY USAGE} is also summed
 * over the odd-numbered keys alone, whose values no dictionary was trained on. Prints a Markdown table and writes
 * {@code redis-memory.csv} to the results directory.
 * <p>
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar io.github.compressredis.benchmarks.RedisMemoryHarness
 * [--seconds N] [--max-ops N] [--files a.jsonl,b.jsonl] [--modes plain,zstd3,lz4,gzip] [--threads 2]}.
 * {@code --seconds} bounds each cell's measured mix (default 10), {@code --max-ops} each thread's
 * measured operations in it (default 200000); a warm-up of a fifth of that time (at most 2 s)
 * precedes each measurement.
 */
public final class RedisMemoryHarness {

	static final List<String> MODES = List.of("plain", "zstd3", "lz4", "gzip");

	/** Also accepted by {@code --modes}: zstd 3 with a dictionary trained on the file's values first. */
	static final String DICTIONARY_MODE = "zstd3-dict";

	private static final int PIPELINE_VALUES = 500;

	private static final long PIPELINE_BYTES = 8L * 1024 * 1024;

	private RedisMemoryHarness() {
	}

	public static void main(String[] args) throws Exception {
		double seconds = 10;
		int maxOps = 200_000;
		int threads = 2;
		List<String> files = Corpus.FILES;
		List<String> modes = MODES;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--seconds" -> seconds = Double.parseDouble(args[++i]);
				case "--max-ops" -> maxOps = Integer.parseInt(args[++i]);
				case "--threads" -> threads = Integer.parseInt(args[++i]);
				case "--files" -> files = List.of(args[++i].split(","));
				case "--modes" -> modes = List.of(args[++i].split(","));
				default -> throw new IllegalArgumentException("Unknown argument " + args[i]
						+ "; usage: RedisMemoryHarness [--seconds N] [--max-ops N] [--files a,b] [--modes plain,zstd3,lz4,gzip]"
						+ " [--threads N]");
			}
		}
		if (seconds <= 0 || seconds > 120 || maxOps < 1 || threads < 1 || threads > 16) {
			throw new IllegalArgumentException("--seconds must be in (0, 120], --max-ops >= 1, --threads in [1, 16]");
		}
		List<Row> rows = new ArrayList<>();
		try (RedisServerProcess server = RedisServerProcess.start();
				RespConnection admin = new RespConnection(server.port())) {
			System.err.println("redis-server " + admin.commandString("INFO", "server").lines()
				.filter((line) -> line.startsWith("redis_version:"))
				.findFirst()
				.orElse("?") + " on " + server.address());
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(RedisServerProcess.HOST, server.port()));
			factory.afterPropertiesSet();
			factory.start();
			try {
				for (String file : files) {
					List<byte[]> values = Corpus.values(file);
					Row plain = null;
					for (String mode : modes) {
						Row row = runCell(factory, admin, file, values, mode, seconds, maxOps, threads);
						if ("plain".equals(mode)) {
							plain = row;
						}
						row.plain = plain;
						rows.add(row);
						System.err.println(row.progressLine());
					}
				}
			}
			finally {
				factory.destroy();
			}
		}
		printMarkdown(rows, seconds, threads);
		writeCsv(rows);
	}

	static RedisSerializer<byte[]> serializer(String mode) {
		return switch (mode) {
			case "plain" -> RedisSerializer.byteArray();
			case "zstd3" -> compressing(Algorithm.ZSTD, 3);
			case "lz4" -> compressing(Algorithm.LZ4, 0);
			case "gzip" -> compressing(Algorithm.GZIP, 6);
			default -> throw new IllegalArgumentException(
					"Unknown mode '" + mode + "'; use one of " + MODES + " or " + DICTIONARY_MODE);
		};
	}

	static RedisSerializer<byte[]> serializer(String mode, String file, List<byte[]> values) {
		if (DICTIONARY_MODE.equals(mode) || mode.startsWith(DICTIONARY_MODE + ":")) {
			return new CompressingRedisSerializer<>(RedisSerializer.byteArray(), Dictionaries.trained(file, values,
					CompressionPolicy.builder().algorithm(Algorithm.ZSTD).level(3).build(), dictionarySettings(mode)));
		}
		return serializer(mode);
	}

	/** The defaults for {@code zstd3-dict}; another size and level for {@code zstd3-dict:<n>k:<level>}. */
	static DictionarySettings dictionarySettings(String mode) {
		DictionarySettings defaults = DictionarySettings.defaults();
		if (DICTIONARY_MODE.equals(mode)) {
			return defaults;
		}
		String[] parts = mode.split(":");
		if (parts.length != 3 || !parts[1].endsWith("k")) {
			throw new IllegalArgumentException("Mode '" + mode + "' should be " + DICTIONARY_MODE
					+ ":<size KB>k:<level>, for example " + DICTIONARY_MODE + ":16k:0");
		}
		int size = Integer.parseInt(parts[1].substring(0, parts[1].length() - 1)) * 1024;
		return defaults.withDictionarySize(size).withLevel(Integer.parseInt(parts[2]));
	}

	private static RedisSerializer<byte[]> compressing(Algorithm algorithm, int level) {
		return CompressingRedisSerializer.wrap(RedisSerializer.byteArray(),
				CompressionPolicy.builder().algorithm(algorithm).level(level).build());
	}

	private static Row runCell(LettuceConnectionFactory factory, RespConnection admin, String file,
			List<byte[]> values, String mode, double seconds, int maxOps, int threads) throws InterruptedException {
		RedisSerializer<byte[]> valueSerializer = serializer(mode, file, values);
		RedisTemplate<String, byte[]> template = new RedisTemplate<>();
		template.setConnectionFactory(factory);
		template.setKeySerializer(RedisSerializer.string());
		template.setValueSerializer(valueSerializer);
		template.afterPropertiesSet();

		String prefix = "bench:" + file.replace(".jsonl", "") + ":";
		String[] keys = new String[values.size()];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = prefix + i;
		}
		Row row = new Row(file, mode, values.size());
		admin.command("FLUSHALL", "SYNC");
		row.usedBefore = usedMemory(admin);
		long loadStart = System.nanoTime();
		load(template, keys, values);
		row.loadSeconds = (System.nanoTime() - loadStart) / 1e9;
		row.usedAfter = usedMemory(admin);
		Long dbsize = (Long) admin.command("DBSIZE");
		if (dbsize == null || dbsize != keys.length) {
			throw new IllegalStateException("expected " + keys.length + " keys after loading " + file + ", found "
					+ dbsize);
		}
		for (int i = 0; i < keys.length; i++) {
			long usage = (Long) admin.command("MEMORY", "USAGE", keys[i]);
			row.memoryUsage += usage;
			if (i % 2 == 1) {
				row.memoryUsageOdd += usage;
			}
		}
		for (byte[] value : values) {
			row.originalBytes += value.length;
			row.storedBytes += valueSerializer.serialize(value).length;
		}
		mix(template, keys, values, seconds, maxOps, threads, row);
		admin.command("FLUSHALL", "SYNC");
		return row;
	}

	@SuppressWarnings("unchecked")
	private static void load(RedisTemplate<String, byte[]> template, String[] keys, List<byte[]> values) {
		int start = 0;
		while (start < keys.length) {
			int end = start;
			long bytes = 0;
			while (end < keys.length && end - start < PIPELINE_VALUES && bytes < PIPELINE_BYTES) {
				bytes += values.get(end).length;
				end++;
			}
			int from = start;
			int to = end;
			template.executePipelined(new SessionCallback<Object>() {
				@Override
				public <K, V> Object execute(RedisOperations<K, V> operations) {
					RedisOperations<String, byte[]> ops = (RedisOperations<String, byte[]>) operations;
					for (int i = from; i < to; i++) {
						ops.opsForValue().set(keys[i], values.get(i));
					}
					return null;
				}
			});
			start = end;
		}
	}

	private static long usedMemory(RespConnection admin) {
		String info = admin.commandString("INFO", "memory");
		return info.lines()
			.filter((line) -> line.startsWith("used_memory:"))
			.mapToLong((line) -> Long.parseLong(line.substring("used_memory:".length()).trim()))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("INFO memory has no used_memory"));
	}

	private static void mix(RedisTemplate<String, byte[]> template, String[] keys, List<byte[]> values,
			double seconds, int maxOps, int threads, Row row) throws InterruptedException {
		long measureNanos = (long) (seconds * 1e9);
		long warmupNanos = Math.min(2_000_000_000L, measureNanos / 5);
		Worker[] workers = new Worker[threads];
		Thread[] running = new Thread[threads];
		AtomicReference<Throwable> failure = new AtomicReference<>();
		for (int t = 0; t < threads; t++) {
			workers[t] = new Worker(template, keys, values, (int) ((long) keys.length * t / threads), warmupNanos,
					measureNanos, maxOps);
			running[t] = new Thread(workers[t], "harness-client-" + t);
			running[t].setUncaughtExceptionHandler((thread, ex) -> failure.compareAndSet(null, ex));
		}
		for (Thread thread : running) {
			thread.start();
		}
		for (Thread thread : running) {
			thread.join();
		}
		if (failure.get() != null) {
			throw new IllegalStateException("client thread failed in " + row.file + "/" + row.mode, failure.get());
		}
		long[] sets = new long[0];
		long[] gets = new long[0];
		double elapsed = 0;
		long bytes = 0;
		for (Worker worker : workers) {
			sets = concat(sets, worker.setNanos, worker.sets);
			gets = concat(gets, worker.getNanos, worker.gets);
			elapsed = Math.max(elapsed, worker.elapsedNanos / 1e9);
			bytes += worker.bytes;
		}
		Arrays.sort(sets);
		Arrays.sort(gets);
		row.seconds = elapsed;
		row.setOps = sets.length;
		row.getOps = gets.length;
		row.opsPerSecond = (sets.length + gets.length) / elapsed;
		row.mbPerSecond = bytes / elapsed / 1e6;
		row.setP50 = percentile(sets, 0.50);
		row.setP99 = percentile(sets, 0.99);
		row.getP50 = percentile(gets, 0.50);
		row.getP99 = percentile(gets, 0.99);
	}

	private static long[] concat(long[] a, long[] b, int bLength) {
		long[] result = Arrays.copyOf(a, a.length + bLength);
		System.arraycopy(b, 0, result, a.length, bLength);
		return result;
	}

	/** Nearest-rank percentile, in microseconds. */
	static double percentile(long[] sortedNanos, double p) {
		if (sortedNanos.length == 0) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(p * sortedNanos.length);
		return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e3;
	}

	/** One client thread: SET then GET of each key in turn, from its own starting key. */
	static final class Worker implements Runnable {

		private final RedisTemplate<String, byte[]> template;

		private final String[] keys;

		private final List<byte[]> values;

		private final int firstKey;

		private final long warmupNanos;

		private final long measureNanos;

		private final int maxOps;

		final long[] setNanos;

		final long[] getNanos;

		int sets;

		int gets;

		long elapsedNanos;

		long bytes;

		Worker(RedisTemplate<String, byte[]> template, String[] keys, List<byte[]> values, int firstKey,
				long warmupNanos, long measureNanos, int maxOps) {
			this.template = template;
			this.keys = keys;
			this.values = values;
			this.firstKey = firstKey;
			this.warmupNanos = warmupNanos;
			this.measureNanos = measureNanos;
			this.maxOps = maxOps;
			this.setNanos = new long[(maxOps + 1) / 2];
			this.getNanos = new long[(maxOps + 1) / 2];
		}

		@Override
		public void run() {
			int key = this.firstKey;
			long warmupEnd = System.nanoTime() + this.warmupNanos;
			while (System.nanoTime() < warmupEnd) {
				set(key);
				get(key);
				key = (key + 1 == this.keys.length) ? 0 : key + 1;
			}
			long start = System.nanoTime();
			long deadline = start + this.measureNanos;
			int ops = 0;
			long now = start;
			while (ops < this.maxOps && now < deadline) {
				long t0 = System.nanoTime();
				set(key);
				long t1 = System.nanoTime();
				this.setNanos[this.sets++] = t1 - t0;
				ops++;
				if (ops < this.maxOps) {
					get(key);
					now = System.nanoTime();
					this.getNanos[this.gets++] = now - t1;
					ops++;
				}
				else {
					now = t1;
				}
				this.bytes += 2L * this.values.get(key).length;
				key = (key + 1 == this.keys.length) ? 0 : key + 1;
			}
			this.elapsedNanos = now - start;
		}

		private void set(int key) {
			this.template.opsForValue().set(this.keys[key], this.values.get(key));
		}

		private void get(int key) {
			byte[] value = this.template.opsForValue().get(this.keys[key]);
			if (value == null || value.length != this.values.get(key).length) {
				throw new IllegalStateException("GET " + this.keys[key] + " returned "
						+ ((value != null) ? value.length + " bytes" : "nil") + ", expected "
						+ this.values.get(key).length + " bytes");
			}
		}

	}

	/** One file and mode. */
	static final class Row {

		final String file;

		final String mode;

		final int values;

		long originalBytes;

		long storedBytes;

		long usedBefore;

		long usedAfter;

		long memoryUsage;

		/** Over the odd-numbered keys only: values a dictionary mode never trained on. */
		long memoryUsageOdd;

		double loadSeconds;

		double seconds;

		int setOps;

		int getOps;

		double opsPerSecond;

		double mbPerSecond;

		double setP50;

		double setP99;

		double getP50;

		double getP99;

		Row plain;

		Row(String file, String mode, int values) {
			this.file = file;
			this.mode = mode;
			this.values = values;
		}

		long usedDelta() {
			return this.usedAfter - this.usedBefore;
		}

		String savedVsPlain() {
			if (this.plain == null || this.plain == this || this.plain.usedDelta() <= 0) {
				return "-";
			}
			return String.format(Locale.ROOT, "%.1f%%", 100.0 * (1 - (double) usedDelta() / this.plain.usedDelta()));
		}

		String progressLine() {
			return String.format(Locale.ROOT,
					"%-24s %-10s used_memory +%,d B, MEMORY USAGE %,d B, SET p50/p99 %.0f/%.0f us, GET p50/p99 %.0f/%.0f us, %.0f ops/s",
					this.file, this.mode, usedDelta(), this.memoryUsage, this.setP50, this.setP99, this.getP50,
					this.getP99, this.opsPerSecond);
		}

	}

	private static void printMarkdown(List<Row> rows, double seconds, int threads) {
		System.out.printf(Locale.ROOT, "%nRedis memory and latency (%d client threads, SET/GET alternating, <= %.0f s per cell)%n%n",
				threads, seconds);
		System.out.println("| file | mode | values | original MB | stored MB | used_memory Δ MB | Σ MEMORY USAGE MB"
				+ " | Σ MEMORY USAGE odd keys B | used_memory saved vs plain | SET p50 µs | SET p99 µs | GET p50 µs"
				+ " | GET p99 µs | ops/s |");
		System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (Row row : rows) {
			System.out.printf(Locale.ROOT,
					"| %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f |%n", row.file,
					row.mode, row.values, row.originalBytes / 1e6, row.storedBytes / 1e6, row.usedDelta() / 1e6,
					row.memoryUsage / 1e6, row.memoryUsageOdd, row.savedVsPlain(), row.setP50, row.setP99, row.getP50, row.getP99,
					row.opsPerSecond);
		}
	}

	private static void writeCsv(List<Row> rows) {
		List<String> lines = new ArrayList<>();
		lines.add("file,mode,values,original_bytes,stored_bytes,used_memory_before,used_memory_after,"
				+ "used_memory_delta,memory_usage_sum,memory_usage_odd_keys,load_seconds,mix_seconds,set_ops,get_ops,ops_per_sec,mb_per_sec,"
				+ "set_p50_us,set_p99_us,get_p50_us,get_p99_us");
		for (Row row : rows) {
			lines.add(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%.3f,%.3f,%d,%d,%.1f,%.2f,%.1f,%.1f,%.1f,%.1f",
					row.file, row.mode, row.values, row.originalBytes, row.storedBytes, row.usedBefore, row.usedAfter,
					row.usedDelta(), row.memoryUsage, row.memoryUsageOdd, row.loadSeconds, row.seconds, row.setOps, row.getOps,
					row.opsPerSecond, row.mbPerSecond, row.setP50, row.setP99, row.getP50, row.getP99));
		}
		Path out = Results.directory().resolve("redis-memory.csv");
		try {
			Files.write(out, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + out, ex);
		}
		System.out.println();
		System.out.println("Wrote " + out);
	}

}
