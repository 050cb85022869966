package io.github.compressredis.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.testsupport.corpus.Corpus;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * End to end against a real redis-server that it starts on 127.0.0.1: for each corpus
 * file and each mode (plain, zstd3, lz4, gzip) it empties the server, loads every value
 * of the file through a {@code RedisTemplate<String, byte[]>} on Lettuce, and records the
 * growth of {@code INFO memory used_memory} and the sum of {@code MEMORY USAGE} over the
 * keys; then it runs a bounded SET/GET mix (alternating, over the loaded keys) from 2
 * client threads sharing the template's connection, and records SET and GET p50/p99
 * latency and ops/s. The compressing modes use the default policy thresholds (min-size
 * 192 B, max-ratio 0.9, checksum on) with the given algorithm. Mode {@code zstd3-dict}
 * (not in the default list) first trains a dictionary with the default dictionary
 * settings on up to 2,000 of the file's even-numbered values, then loads them all through
 * a dictionary-enabled compressor; {@code zstd3-dict:<size KB>k:<level>} does the same
 * with another dictionary size and level (level 0: the policy's), and
 * {@code zstd3-dict:16k:0} is how dictionaries were written before the defaults were
 * measured. {@code MEMORY USAGE} is also summed over the odd-numbered keys alone, whose
 * values no dictionary was trained on. Every GET of the mix is compared with the original
 * value, byte for byte ({@link SetGetMix}). Prints a Markdown table and writes
 * {@code redis-memory.csv} to the results directory.
 * <p>
 * Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.compressredis.benchmarks.RedisMemoryHarness
 * [--seconds N] [--max-ops N] [--files a.jsonl,b.jsonl] [--modes plain,zstd3,lz4,gzip] [--threads 2]}.
 * {@code --seconds} bounds each cell's measured mix (default 10), {@code --max-ops} each
 * thread's measured operations in it (default 200000); a warm-up of a fifth of that time
 * (at most 2 s) precedes each measurement.
 *
 * @author compress-redis contributors
 */
public final class RedisMemoryHarness {

	static final List<String> MODES = List.of("plain", "zstd3", "lz4", "gzip");

	/**
	 * Also accepted by {@code --modes}: zstd 3 with a dictionary trained on the file's
	 * values first.
	 */
	static final String DICTIONARY_MODE = "zstd3-dict";

	/**
	 * Suffix of the modes {@code zstd3-glide-rules} and {@code lz4-glide-rules} (not in
	 * the default list): min-size 64 B, max-ratio 1.0, no checksum, the rules of Valkey
	 * GLIDE's built-in compression.
	 */
	static final String GLIDE_RULES = "-glide-rules";

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
		try (RedisServerProcess server = RedisServerProcess.start()) {
			announce(server);
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(RedisServerProcess.HOST, server.port()));
			factory.afterPropertiesSet();
			factory.start();
			try {
				for (String file : files) {
					List<byte[]> values = Corpus.values(file);
					Row plain = null;
					for (String mode : modes) {
						Row row = runCell(factory, server, file, values, mode, seconds, maxOps, threads);
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
			case "zstd3" + GLIDE_RULES -> glideRules(Algorithm.ZSTD, 3);
			case "lz4" + GLIDE_RULES -> glideRules(Algorithm.LZ4, 0);
			default -> throw new IllegalArgumentException("Unknown mode '" + mode + "'; use one of " + MODES + ", zstd3"
					+ GLIDE_RULES + ", lz4" + GLIDE_RULES + " or " + DICTIONARY_MODE);
		};
	}

	static RedisSerializer<byte[]> serializer(String mode, String file, List<byte[]> values) {
		if (DICTIONARY_MODE.equals(mode) || mode.startsWith(DICTIONARY_MODE + ":")) {
			return new CompressingRedisSerializer<>(RedisSerializer.byteArray(), Dictionaries.trained(file, values,
					CompressionPolicy.builder().algorithm(Algorithm.ZSTD).level(3).build(), dictionarySettings(mode)));
		}
		return serializer(mode);
	}

	/**
	 * The defaults for {@code zstd3-dict}; another size and level for
	 * {@code zstd3-dict:<n>k:<level>}.
	 * @param mode the mode, {@code zstd3-dict} or {@code zstd3-dict:<n>k:<level>}
	 * @return the dictionary settings for the mode
	 */
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

	/**
	 * The policy that compresses as Valkey GLIDE does: from 64 bytes, keep the compressed
	 * form if it is not longer than the original, no checksum.
	 * @param algorithm the codec GLIDE would use
	 * @param level the level GLIDE would use
	 * @return a serializer that compresses by GLIDE's rules
	 */
	private static RedisSerializer<byte[]> glideRules(Algorithm algorithm, int level) {
		return CompressingRedisSerializer.of(RedisSerializer.byteArray(),
				CompressionPolicy.builder()
					.algorithm(algorithm)
					.level(level)
					.minSize(64)
					.maxRatio(1.0)
					.checksum(false)
					.build());
	}

	private static RedisSerializer<byte[]> compressing(Algorithm algorithm, int level) {
		return CompressingRedisSerializer.of(RedisSerializer.byteArray(),
				CompressionPolicy.builder().algorithm(algorithm).level(level).build());
	}

	private static Row runCell(LettuceConnectionFactory factory, RedisServerProcess admin, String file,
			List<byte[]> values, String mode, double seconds, int maxOps, int threads) throws InterruptedException {
		RedisSerializer<byte[]> valueSerializer = serializer(mode, file, values);
		String[] keys = keys(file, values.size());
		Row row = new Row(file, mode, values.size());
		try (TemplateClient client = TemplateClient.on(factory, valueSerializer)) {
			admin.command("FLUSHALL", "SYNC");
			row.usedBefore = usedMemory(admin);
			long loadStart = System.nanoTime();
			client.load(keys, values);
			row.loadSeconds = (System.nanoTime() - loadStart) / 1e9;
			row.usedAfter = usedMemory(admin);
			long[] usage = memoryUsage(admin, keys);
			for (int i = 0; i < keys.length; i++) {
				row.memoryUsage += usage[i];
				if (i % 2 == 1) {
					row.memoryUsageOdd += usage[i];
				}
			}
			for (byte[] value : values) {
				row.originalBytes += value.length;
				row.storedBytes += valueSerializer.serialize(value).length;
			}
			row.mix = SetGetMix.run(client, keys, values, Math.min(2, seconds / 5), seconds, maxOps, threads,
					file + "/" + mode);
		}
		admin.command("FLUSHALL", "SYNC");
		return row;
	}

	/**
	 * The keys the harnesses load a file's values under.
	 * @param file the corpus file
	 * @param count the number of values
	 * @return {@code bench:<file without .jsonl>:<index>}
	 */
	static String[] keys(String file, int count) {
		String prefix = "bench:" + file.replace(".jsonl", "") + ":";
		String[] keys = new String[count];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = prefix + i;
		}
		return keys;
	}

	/**
	 * Check the server holds exactly the loaded keys, and return each key's
	 * {@code MEMORY USAGE}.
	 * @param admin the server
	 * @param keys the keys just loaded
	 * @return the bytes Redis accounts to each key
	 */
	static long[] memoryUsage(RedisServerProcess admin, String[] keys) {
		Long dbsize = (Long) admin.command("DBSIZE");
		if (dbsize == null || dbsize != keys.length) {
			throw new IllegalStateException("expected " + keys.length + " keys after loading, found " + dbsize);
		}
		long[] usage = new long[keys.length];
		for (int i = 0; i < keys.length; i++) {
			usage[i] = (Long) admin.command("MEMORY", "USAGE", keys[i]);
		}
		return usage;
	}

	/**
	 * Say on stderr which redis-server the harness started, and where.
	 * @param server the server
	 */
	static void announce(RedisServerProcess server) {
		System.err.println("redis-server " + server.commandString("INFO", "server")
			.lines()
			.filter((line) -> line.startsWith("redis_version:"))
			.findFirst()
			.orElse("?") + " on " + server.address());
	}

	/**
	 * Return {@code INFO memory used_memory}.
	 * @param admin the server
	 * @return the server's used memory in bytes
	 */
	static long usedMemory(RedisServerProcess admin) {
		String info = admin.commandString("INFO", "memory");
		return info.lines()
			.filter((line) -> line.startsWith("used_memory:"))
			.mapToLong((line) -> Long.parseLong(line.substring("used_memory:".length()).trim()))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("INFO memory has no used_memory"));
	}

	private static void printMarkdown(List<Row> rows, double seconds, int threads) {
		System.out.printf(Locale.ROOT,
				"%nRedis memory and latency (%d client threads, SET/GET alternating, <= %.0f s per cell)%n%n", threads,
				seconds);
		System.out.println("| file | mode | values | original MB | stored MB | used_memory Δ MB | Σ MEMORY USAGE MB"
				+ " | Σ MEMORY USAGE odd keys B | used_memory saved vs plain | SET p50 µs | SET p99 µs | GET p50 µs"
				+ " | GET p99 µs | ops/s |");
		System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (Row row : rows) {
			System.out.printf(Locale.ROOT,
					"| %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f |%n",
					row.file, row.mode, row.values, row.originalBytes / 1e6, row.storedBytes / 1e6,
					row.usedDelta() / 1e6, row.memoryUsage / 1e6, row.memoryUsageOdd, row.savedVsPlain(),
					row.mix.setP50(), row.mix.setP99(), row.mix.getP50(), row.mix.getP99(), row.mix.opsPerSecond());
		}
	}

	private static void writeCsv(List<Row> rows) {
		List<String> lines = new ArrayList<>();
		lines.add("file,mode,values,original_bytes,stored_bytes,used_memory_before,used_memory_after,"
				+ "used_memory_delta,memory_usage_sum,memory_usage_odd_keys,load_seconds,mix_seconds,set_ops,get_ops,ops_per_sec,mb_per_sec,"
				+ "set_p50_us,set_p99_us,get_p50_us,get_p99_us");
		for (Row row : rows) {
			lines.add(String.format(Locale.ROOT,
					"%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%.3f,%.3f,%d,%d,%.1f,%.2f,%.1f,%.1f,%.1f,%.1f", row.file, row.mode,
					row.values, row.originalBytes, row.storedBytes, row.usedBefore, row.usedAfter, row.usedDelta(),
					row.memoryUsage, row.memoryUsageOdd, row.loadSeconds, row.mix.seconds(), row.mix.setOps(),
					row.mix.getOps(), row.mix.opsPerSecond(), row.mix.mbPerSecond(), row.mix.setP50(), row.mix.setP99(),
					row.mix.getP50(), row.mix.getP99()));
		}
		Results.write("redis-memory.csv", lines);
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

		SetGetMix.Result mix;

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
					this.file, this.mode, usedDelta(), this.memoryUsage, this.mix.setP50(), this.mix.setP99(),
					this.mix.getP50(), this.mix.getP99(), this.mix.opsPerSecond());
		}

	}

}
