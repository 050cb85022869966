package io.github.compressredis.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.testsupport.corpus.Corpus;

/**
 * This project against Valkey GLIDE's built-in compression, end to end against a real
 * redis-server that it starts on 127.0.0.1. A mode is a client and what it does to
 * values: {@code glide-plain}, {@code glide-zstd3}, {@code glide-lz4} (GLIDE's
 * {@code CompressionConfiguration}, min 64 B, keep if smaller, no checksum), and
 * {@code lettuce-*} or {@code jedis-*} with {@code plain}, {@code zstd3}, {@code lz4}
 * (this project's default policy: min-size 192 B, max-ratio 0.9, CRC-32C on),
 * {@code zstd3-glide-rules} or {@code lz4-glide-rules} (this project with GLIDE's rules),
 * each through a {@code RedisTemplate<String, byte[]>} and
 * {@code CompressingRedisSerializer} as an application uses them
 * ({@link RedisMemoryHarness#serializer}).
 * <p>
 * For each corpus file and round, and each mode in turn (forwards in odd rounds,
 * backwards in even ones, so that a machine getting busier or quieter shows as a
 * difference between rounds rather than between modes) it empties the server, loads every
 * value, reads every key back and compares it with the original, sums
 * {@code MEMORY USAGE} and {@code STRLEN} over the keys, then runs the bounded SET/GET
 * mix of {@link SetGetMix} at each thread count: ops/s, p50/p99 over SETs and GETs, and
 * the client process's CPU time per operation.
 * <p>
 * With {@code --integrity} it measures instead what a client returns when one byte of a
 * stored value is flipped (XOR 0xFF): for each compressing mode and a few values of each
 * file, it writes the value through the client, then for every byte of the client's
 * header, a spread of payload bytes and the last 4 bytes (trailer), stores the value with
 * that byte flipped (raw, over RESP) and reads it back through the client. Outcomes:
 * {@code error} (the client raised an exception), {@code stored bytes} (it returned the
 * corrupted stored bytes as if they were the data), {@code other bytes} (it returned data
 * that is neither the original nor the stored bytes), {@code original} (it returned the
 * original: the flip was harmless).
 * <p>
 * Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.compressredis.benchmarks.GlideComparisonHarness
 * [--seconds N] [--warmup N] [--max-ops N] [--files a.jsonl,b.jsonl] [--modes glide-zstd3,lettuce-zstd3,...]
 * [--threads 1,4] [--rounds 2] [--integrity] [--samples 4]}. Writes
 * {@code glide-comparison.csv} (or {@code glide-integrity.csv}) to the results directory
 * and prints Markdown tables. {@code --seconds} bounds each cell's measured mix (default
 * 5), {@code --max-ops} each thread's measured operations in it (default 200000),
 * {@code --warmup} the mix each thread runs before (default 1 s).
 *
 * @author compress-redis contributors
 */
public final class GlideComparisonHarness {

	static final List<String> MODES = List.of("glide-plain", "glide-zstd3", "glide-lz4", "lettuce-plain",
			"lettuce-zstd3", "lettuce-lz4", "lettuce-zstd3-glide-rules", "lettuce-lz4-glide-rules", "jedis-plain",
			"jedis-zstd3", "jedis-lz4", "jedis-zstd3-glide-rules", "jedis-lz4-glide-rules");

	private static final List<String> POSITIONS = List.of("header", "payload", "trailer");

	private static final List<String> OUTCOMES = List.of("error", "stored bytes", "other bytes", "original");

	private static final int PAYLOAD_POSITIONS = 8;

	private static final int TRAILER_BYTES = 4;

	private GlideComparisonHarness() {
	}

	public static void main(String[] args) throws Exception {
		double seconds = 5;
		double warmup = 1;
		int maxOps = 200_000;
		int rounds = 2;
		int samples = 4;
		boolean integrity = false;
		List<Integer> threadCounts = List.of(1, 4);
		List<String> files = Corpus.FILES;
		List<String> modes = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--seconds" -> seconds = Double.parseDouble(args[++i]);
				case "--warmup" -> warmup = Double.parseDouble(args[++i]);
				case "--max-ops" -> maxOps = Integer.parseInt(args[++i]);
				case "--rounds" -> rounds = Integer.parseInt(args[++i]);
				case "--samples" -> samples = Integer.parseInt(args[++i]);
				case "--threads" -> threadCounts = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
				case "--files" -> files = List.of(args[++i].split(","));
				case "--modes" -> modes = List.of(args[++i].split(","));
				case "--integrity" -> integrity = true;
				default -> throw new IllegalArgumentException("Unknown argument " + args[i]
						+ "; usage: GlideComparisonHarness [--seconds N] [--warmup N] [--max-ops N] [--files a,b] [--modes m1,m2]"
						+ " [--threads 1,4] [--rounds N] [--integrity] [--samples N]");
			}
		}
		if (seconds <= 0 || seconds > 120 || warmup < 0 || warmup > 60 || maxOps < 1 || rounds < 1 || rounds > 10
				|| samples < 1 || samples > 100 || threadCounts.isEmpty()
				|| threadCounts.stream().anyMatch((t) -> t < 1 || t > 16)) {
			throw new IllegalArgumentException(
					"--seconds must be in (0, 120], --warmup in [0, 60], --max-ops >= 1, --rounds in [1, 10],"
							+ " --samples in [1, 100], --threads each in [1, 16]");
		}
		if (modes == null) {
			modes = integrity ? MODES.stream().filter((mode) -> !mode.endsWith("-plain")).toList() : MODES;
		}
		modes.forEach(GlideComparisonHarness::checkMode);
		try (RedisServerProcess server = RedisServerProcess.start()) {
			RedisMemoryHarness.announce(server);
			if (integrity) {
				List<Flip> flips = new ArrayList<>();
				for (String file : files) {
					for (String mode : modes) {
						flips.addAll(flipBytes(server.port(), server, file, Corpus.values(file), mode, samples));
					}
				}
				printIntegrity(flips);
				writeIntegrityCsv(flips);
			}
			else {
				List<Cell> cells = new ArrayList<>();
				for (String file : files) {
					List<byte[]> values = Corpus.values(file);
					for (int round = 1; round <= rounds; round++) {
						List<String> order = new ArrayList<>(modes);
						if (round % 2 == 0) {
							Collections.reverse(order);
						}
						for (String mode : order) {
							cells.addAll(measure(server.port(), server, file, values, mode, round, threadCounts, warmup,
									seconds, maxOps));
						}
					}
				}
				printTables(cells, modes, threadCounts, seconds, rounds);
				writeCsv(cells);
			}
		}
	}

	private static void checkMode(String mode) {
		if (!MODES.contains(mode)) {
			throw new IllegalArgumentException("Unknown mode '" + mode + "'; use some of " + MODES);
		}
	}

	/**
	 * A connected client for a mode.
	 * @param port the redis-server's port
	 * @param mode the client and codec, for example {@code glide-zstd3}
	 * @return the connected client
	 */
	static KeyValueClient connect(int port, String mode) {
		int dash = mode.indexOf('-');
		String client = mode.substring(0, dash);
		String codec = mode.substring(dash + 1);
		return switch (client) {
			case "glide" -> GlideClient.connect(port, switch (codec) {
				case "plain" -> GlideClient.Compression.NONE;
				case "zstd3" -> GlideClient.Compression.ZSTD3;
				case "lz4" -> GlideClient.Compression.LZ4;
				default -> throw new IllegalArgumentException("GLIDE has no mode " + codec);
			});
			case "lettuce" -> TemplateClient.lettuce(port, RedisMemoryHarness.serializer(codec));
			case "jedis" -> TemplateClient.jedis(port, RedisMemoryHarness.serializer(codec));
			default -> throw new IllegalArgumentException("Unknown client in mode " + mode);
		};
	}

	private static List<Cell> measure(int port, RedisServerProcess admin, String file, List<byte[]> values, String mode,
			int round, List<Integer> threadCounts, double warmup, double seconds, int maxOps)
			throws InterruptedException {
		String[] keys = RedisMemoryHarness.keys(file, values.size());
		List<Cell> cells = new ArrayList<>();
		try (KeyValueClient client = connect(port, mode)) {
			admin.command("FLUSHALL", "SYNC");
			client.load(keys, values);
			long memoryUsage = 0;
			for (long usage : RedisMemoryHarness.memoryUsage(admin, keys)) {
				memoryUsage += usage;
			}
			long stored = 0;
			for (String key : keys) {
				stored += (Long) admin.command("STRLEN", key);
			}
			for (int i = 0; i < keys.length; i++) {
				if (!Arrays.equals(client.get(keys[i]), values.get(i))) {
					throw new IllegalStateException(mode + ": GET " + keys[i] + " after loading " + file
							+ " does not return the original value");
				}
			}
			for (int threads : threadCounts) {
				SetGetMix.Result mix = SetGetMix.run(client, keys, values, warmup, seconds, maxOps, threads,
						file + "/" + mode + "/" + threads + " threads");
				Cell cell = new Cell(file, mode, round, threads, values.size(), Corpus.totalBytes(values), stored,
						memoryUsage, mix);
				System.err.println(cell.progressLine());
				cells.add(cell);
			}
		}
		finally {
			admin.command("FLUSHALL", "SYNC");
		}
		return cells;
	}

	private static void printTables(List<Cell> cells, List<String> modes, List<Integer> threadCounts, double seconds,
			int rounds) {
		System.out.printf(Locale.ROOT, "%nGLIDE comparison (%s client threads, SET/GET alternating, <= %.0f s per"
				+ " cell, %d rounds alternating the order of modes; ops/s per round, latency and CPU the median of"
				+ " the rounds)%n", threadCounts, seconds, rounds);
		Map<String, List<Cell>> byFile = new LinkedHashMap<>();
		cells.forEach((cell) -> byFile.computeIfAbsent(cell.file(), (file) -> new ArrayList<>()).add(cell));
		for (Map.Entry<String, List<Cell>> entry : byFile.entrySet()) {
			Cell first = entry.getValue().get(0);
			System.out.printf(Locale.ROOT, "%n%s: %,d values, %,d bytes%n%n", entry.getKey(), first.values(),
					first.originalBytes());
			StringBuilder head = new StringBuilder("| mode | stored B | Σ MEMORY USAGE B | vs glide-plain |");
			StringBuilder rule = new StringBuilder("|---|---:|---:|---:|");
			for (int threads : threadCounts) {
				head.append(String.format(Locale.ROOT, " ops/s %dt (rounds) | p50/p99 µs %dt | CPU µs/op %dt |",
						threads, threads, threads));
				rule.append("---:|---:|---:|");
			}
			System.out.println(head);
			System.out.println(rule);
			Long plain = entry.getValue()
				.stream()
				.filter((cell) -> cell.mode().equals("glide-plain"))
				.map(Cell::memoryUsage)
				.findFirst()
				.orElse(null);
			for (String mode : modes) {
				List<Cell> ofMode = entry.getValue().stream().filter((cell) -> cell.mode().equals(mode)).toList();
				if (ofMode.isEmpty()) {
					continue;
				}
				Cell any = ofMode.get(0);
				StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %,d | %,d | %s |", mode,
						any.storedBytes(), any.memoryUsage(), (plain != null)
								? String.format(Locale.ROOT, "%.3fx", (double) any.memoryUsage() / plain) : "-"));
				for (int threads : threadCounts) {
					List<SetGetMix.Result> results = ofMode.stream()
						.filter((cell) -> cell.threads() == threads)
						.sorted((a, b) -> Integer.compare(a.round(), b.round()))
						.map(Cell::mix)
						.toList();
					String perRound = String.join(" / ",
							results.stream()
								.map((r) -> String.format(Locale.ROOT, "%,.0f", r.opsPerSecond()))
								.toList());
					line.append(String.format(Locale.ROOT, " %s | %.0f / %.0f | %.1f |", perRound,
							median(results, SetGetMix.Result::p50), median(results, SetGetMix.Result::p99),
							median(results, SetGetMix.Result::cpuMicrosPerOp)));
				}
				System.out.println(line);
			}
		}
	}

	/**
	 * The median: one busy moment of a shared machine moves it less than the mean.
	 * @param results one result per round
	 * @param metric the value to read from each result
	 * @return the median, {@code NaN} when there are no results
	 */
	private static double median(List<SetGetMix.Result> results, ToDoubleFunction<SetGetMix.Result> metric) {
		double[] sorted = results.stream().mapToDouble(metric).sorted().toArray();
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int mid = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	}

	private static void writeCsv(List<Cell> cells) {
		List<String> lines = new ArrayList<>();
		lines.add("file,mode,round,threads,values,original_bytes,stored_bytes,memory_usage_sum,mix_seconds,set_ops,"
				+ "get_ops,ops_per_sec,mb_per_sec,p50_us,p99_us,set_p50_us,set_p99_us,get_p50_us,get_p99_us,"
				+ "cpu_us_per_op");
		for (Cell cell : cells) {
			SetGetMix.Result mix = cell.mix();
			lines.add(String.format(Locale.ROOT,
					"%s,%s,%d,%d,%d,%d,%d,%d,%.3f,%d,%d,%.1f,%.2f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.2f", cell.file(),
					cell.mode(), cell.round(), cell.threads(), cell.values(), cell.originalBytes(), cell.storedBytes(),
					cell.memoryUsage(), mix.seconds(), mix.setOps(), mix.getOps(), mix.opsPerSecond(),
					mix.mbPerSecond(), mix.p50(), mix.p99(), mix.setP50(), mix.setP99(), mix.getP50(), mix.getP99(),
					mix.cpuMicrosPerOp()));
		}
		Results.write("glide-comparison.csv", lines);
	}

	// ------------------------------------------------------------------------------
	// integrity

	static List<Flip> flipBytes(int port, RedisServerProcess admin, String file, List<byte[]> values, String mode,
			int samples) {
		List<Flip> flips = new ArrayList<>();
		String[] keys = RedisMemoryHarness.keys(file, values.size());
		try (KeyValueClient client = connect(port, mode)) {
			int tried = 0;
			// values spread over the file, each large enough to be compressed by every
			// mode
			int step = Math.max(1, values.size() / (samples * 4));
			for (int i = 0; i < values.size() && tried < samples; i += step) {
				byte[] original = values.get(i);
				if (original.length < 256) {
					continue;
				}
				client.set(keys[i], original);
				byte[] stored = (byte[]) admin.command("GET", keys[i]);
				int headerLength = headerLength(mode, stored);
				if (headerLength < 0 || stored.length < headerLength + PAYLOAD_POSITIONS + TRAILER_BYTES) {
					continue;
				}
				tried++;
				for (int offset : offsets(headerLength, stored.length)) {
					byte[] flipped = stored.clone();
					flipped[offset] ^= (byte) 0xFF;
					admin.command("SET", keys[i], flipped);
					String outcome;
					String detail = "";
					try {
						byte[] read = client.get(keys[i]);
						outcome = Arrays.equals(read, original) ? "original"
								: Arrays.equals(read, flipped) ? "stored bytes" : "other bytes";
						if (outcome.equals("other bytes")) {
							detail = (read != null) ? read.length + " bytes" : "nil";
						}
					}
					catch (RuntimeException ex) {
						outcome = "error";
						detail = ex.getClass().getSimpleName() + ": "
								+ String.valueOf(ex.getMessage()).lines().findFirst().orElse("");
					}
					flips.add(new Flip(file, mode, i, stored.length, headerLength,
							position(offset, headerLength, stored.length), offset, outcome, detail));
				}
				admin.command("DEL", keys[i]);
			}
		}
		System.err.printf(Locale.ROOT, "%-24s %-26s %d flips%n", file, mode, flips.size());
		return flips;
	}

	/**
	 * The length of the header a mode's client puts before the compressed stream, or -1
	 * if the value was stored uncompressed.
	 * @param mode the client and codec that stored the value
	 * @param stored the bytes as stored in Redis
	 * @return the header length, {@code -1} for a value stored uncompressed
	 */
	static int headerLength(String mode, byte[] stored) {
		if (mode.startsWith("glide-")) {
			return GlideClient.headerLength(stored);
		}
		return WireFormat.isFramed(stored) ? WireFormat.parse(stored).payloadOffset() : -1;
	}

	private static List<Integer> offsets(int headerLength, int length) {
		List<Integer> offsets = new ArrayList<>();
		for (int i = 0; i < headerLength; i++) {
			offsets.add(i);
		}
		int payloadEnd = length - TRAILER_BYTES;
		for (int p = 0; p < PAYLOAD_POSITIONS; p++) {
			offsets.add(headerLength + (int) ((long) (payloadEnd - headerLength) * p / PAYLOAD_POSITIONS));
		}
		for (int i = payloadEnd; i < length; i++) {
			offsets.add(i);
		}
		return offsets;
	}

	private static String position(int offset, int headerLength, int length) {
		return (offset < headerLength) ? "header" : (offset < length - TRAILER_BYTES) ? "payload" : "trailer";
	}

	private static void printIntegrity(List<Flip> flips) {
		System.out.printf(Locale.ROOT, "%nOne byte flipped (XOR 0xFF) in a stored value, read back through the client:"
				+ " outcomes per client mode and position (header = every byte of the client's header, payload = %d"
				+ " bytes spread over the compressed stream, trailer = its last %d bytes)%n%n", PAYLOAD_POSITIONS,
				TRAILER_BYTES);
		System.out.println("| mode | position | flips | error | stored bytes returned as data | other bytes returned"
				+ " as data | original returned | first error |");
		System.out.println("|---|---|---:|---:|---:|---:|---:|---|");
		Map<String, Map<String, List<Flip>>> grouped = new LinkedHashMap<>();
		for (Flip flip : flips) {
			grouped
				.computeIfAbsent(flip.mode(),
						(mode) -> new TreeMap<>((a, b) -> Integer.compare(POSITIONS.indexOf(a), POSITIONS.indexOf(b))))
				.computeIfAbsent(flip.position(), (position) -> new ArrayList<>())
				.add(flip);
		}
		for (Map.Entry<String, Map<String, List<Flip>>> mode : grouped.entrySet()) {
			for (Map.Entry<String, List<Flip>> position : mode.getValue().entrySet()) {
				List<Flip> group = position.getValue();
				StringBuilder line = new StringBuilder(
						String.format(Locale.ROOT, "| %s | %s | %d |", mode.getKey(), position.getKey(), group.size()));
				for (String outcome : OUTCOMES) {
					line.append(' ')
						.append(group.stream().filter((flip) -> flip.outcome().equals(outcome)).count())
						.append(" |");
				}
				String error = group.stream()
					.filter((flip) -> flip.outcome().equals("error"))
					.map(Flip::detail)
					.findFirst()
					.orElse("");
				if (error.length() > 160) {
					error = error.substring(0, 157) + "...";
				}
				line.append(' ').append(error.replace("|", "\\|")).append(" |");
				System.out.println(line);
			}
		}
	}

	private static void writeIntegrityCsv(List<Flip> flips) {
		List<String> lines = new ArrayList<>();
		lines.add("file,mode,value_index,stored_length,header_length,position,offset,outcome,detail");
		for (Flip flip : flips) {
			lines.add(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%s,%d,%s,\"%s\"", flip.file(), flip.mode(),
					flip.value(), flip.storedLength(), flip.headerLength(), flip.position(), flip.offset(),
					flip.outcome(), flip.detail().replace("\"", "'")));
		}
		Results.write("glide-integrity.csv", lines);
	}

	/**
	 * One file, mode, round and thread count.
	 *
	 * @param file the corpus file
	 * @param mode the client and codec, for example {@code lettuce-zstd3}
	 * @param round the round, counted from 1
	 * @param threads the number of threads running the mix
	 * @param values the number of values loaded
	 * @param originalBytes the sum of the values' original lengths
	 * @param storedBytes the sum of {@code STRLEN} over the keys
	 * @param memoryUsage the sum of {@code MEMORY USAGE} over the keys
	 * @param mix the throughput and latencies of the SET/GET mix
	 */
	record Cell(String file, String mode, int round, int threads, int values, long originalBytes, long storedBytes,
			long memoryUsage, SetGetMix.Result mix) {

		String progressLine() {
			return String.format(Locale.ROOT,
					"%-24s %-26s round %d, %d thr: stored %,d B, MEMORY USAGE %,d B, %.0f ops/s, p50/p99 %.0f/%.0f us,"
							+ " CPU %.1f us/op",
					this.file, this.mode, this.round, this.threads, this.storedBytes, this.memoryUsage,
					this.mix.opsPerSecond(), this.mix.p50(), this.mix.p99(), this.mix.cpuMicrosPerOp());
		}

	}

	/**
	 * One flipped byte and what the client returned.
	 *
	 * @param file the corpus file
	 * @param mode the client and codec
	 * @param value the index of the value in the file
	 * @param storedLength the length of the stored value
	 * @param headerLength the length of the header before the compressed stream
	 * @param position where the flipped byte lies (header, payload or trailer)
	 * @param offset the offset of the flipped byte in the stored value
	 * @param outcome what a GET returned: the original, the stored bytes, other bytes or
	 * an error
	 * @param detail the length of other bytes returned, or the error's type and message
	 */
	record Flip(String file, String mode, int value, int storedLength, int headerLength, String position, int offset,
			String outcome, String detail) {
	}

}
