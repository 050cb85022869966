package io.github.compressredis.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.foreign.ForeignFormat;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code advise}: sample an existing Redis and estimate what compress-redis would save.
 *
 * @author compress-redis contributors
 */
@Command(name = "advise", mixinStandardHelpOptions = true,
		description = { "Estimate what compress-redis would save on an existing Redis.",
				"Samples keys with SCAN, groups them into patterns (ids collapsed to *), and estimates per pattern",
				"what the values are now and the Redis memory zstd 1/3, lz4, gzip and zstd with a trained",
				"dictionary would save, from MEMORY USAGE and Redis's allocation rules; recommends a configuration." })
final class AdviseCommand extends RedisCommand {

	/** Hash fields read per sampled hash. */
	private static final int HASH_FIELDS = 100;

	@Option(names = "--match", defaultValue = "*", paramLabel = "PATTERN",
			description = "SCAN MATCH pattern of the keys to sample (default: ${DEFAULT-VALUE}).")
	String match = "*";

	@Option(names = "--sample", defaultValue = "10000", paramLabel = "N",
			description = "Sample at most this many keys (default: ${DEFAULT-VALUE}).")
	int sample = 10000;

	@Option(names = "--max-time", defaultValue = "60s", paramLabel = "DURATION",
			description = "Stop sampling after this long, e.g. 30s or 5m (default: ${DEFAULT-VALUE}).")
	String maxTime = "60s";

	@Mixin
	PolicyOptions thresholds = new PolicyOptions();

	@Option(names = "--json", description = "Print the result as JSON instead of a table.")
	boolean json;

	@Option(names = "--report", paramLabel = "FILE", description = "Also write a self-contained HTML report here.")
	Path report;

	@Option(names = "--quiet", description = "No progress bar.")
	boolean quiet;

	@Override
	public Integer call() {
		if (this.sample < 1) {
			throw new CliException(CliException.USAGE, "--sample must be at least 1");
		}
		Duration budget = parseDuration(this.maxTime);
		try (RedisEndpoint endpoint = RedisEndpoint.connect(this.redis); CodecRegistry codecs = new CodecRegistry()) {
			Set<ForeignFormat> formats = ForeignFormat.withMagic();
			formats.addAll(this.redis.foreignFormats());
			ValueReader reader = new ValueReader(codecs, formats, this.redis.maxDecompressedSize,
					endpoint.dictionaries(this.redis, this.redis.dictionaryPrefix));
			long start = System.nanoTime();
			List<Advisor.Sample> samples;
			long totalKeys = 0;
			try {
				List<Long> sizes = new ArrayList<>();
				for (RedisEndpoint.Node node : endpoint.masters()) {
					long size = node.commands().dbsize();
					sizes.add(size);
					totalKeys += size;
				}
				samples = sample(endpoint.masters(), sizes, totalKeys, start + budget.toNanos());
			}
			catch (RuntimeException ex) {
				throw RedisEndpoint.RedisErrors.translate(ex, endpoint.display());
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			// with --match the sample stands for the matching keys only
			long population = this.match.equals("*") ? totalKeys : samples.size();
			if (!this.match.equals("*") && samples.size() >= this.sample) {
				this.out.println("note: --match with a sample limit reached: estimates cover the sampled keys only");
			}
			Advice advice = new Advisor(codecs, reader, this.thresholds.minSize, this.thresholds.maxRatio,
					this.redis.maxDecompressedSize)
				.advise(endpoint.display(), population, samples, seconds);
			if (this.json) {
				this.out.println(AdviceReport.json(advice));
			}
			else {
				AdviceReport.table(advice, this.out);
			}
			if (this.report != null) {
				try {
					Files.writeString(this.report, AdviceReport.html(advice), StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					throw new CliException(1, "Cannot write the report to " + this.report + ": " + ex.getMessage());
				}
				if (!this.json) {
					this.out.println();
					this.out.println("HTML report: " + this.report);
				}
			}
			return 0;
		}
	}

	/**
	 * Each master contributes in proportion to its keys.
	 * @param masters the masters to scan
	 * @param sizes the number of keys of each master, in the same order
	 * @param totalKeys the number of keys over all masters
	 * @param deadline the {@link System#nanoTime()} after which sampling stops
	 * @return the sampled values
	 */
	private List<Advisor.Sample> sample(List<RedisEndpoint.Node> masters, List<Long> sizes, long totalKeys,
			long deadline) {
		List<Advisor.Sample> samples = new ArrayList<>();
		Progress progress = Progress.onStderr(this.err, "keys sampled", Math.min(this.sample, totalKeys), this.quiet);
		for (int m = 0; m < masters.size(); m++) {
			long quota = (totalKeys == 0) ? 0 : (m == masters.size() - 1) ? this.sample - samples.size()
					: Math.round((double) this.sample * sizes.get(m) / totalKeys);
			RedisCommands<byte[], byte[]> commands = masters.get(m).commands();
			ScanArgs args = ScanArgs.Builder.matches(this.match).limit(Math.min(1000, Math.max(10, quota)));
			ScanCursor cursor = ScanCursor.INITIAL;
			long taken = 0;
			KeyScanCursor<byte[]> page;
			do {
				page = commands.scan(cursor, args);
				for (byte[] key : page.getKeys()) {
					if (taken >= quota || System.nanoTime() > deadline) {
						break;
					}
					Advisor.Sample sample = read(commands, key);
					if (sample != null) {
						samples.add(sample);
						taken++;
						progress.advance(1);
					}
				}
				cursor = page;
			}
			while (!page.isFinished() && taken < quota && System.nanoTime() <= deadline);
		}
		progress.finish();
		return samples;
	}

	private static Advisor.Sample read(RedisCommands<byte[], byte[]> commands, byte[] key) {
		String type = commands.type(key);
		if ("none".equals(type)) {
			return null;
		}
		long memory = Migration.memoryUsage(commands, key);
		List<byte[]> values = new ArrayList<>();
		if ("string".equals(type)) {
			byte[] value = commands.get(key);
			if (value == null) {
				return null;
			}
			values.add(value);
		}
		else if ("hash".equals(type)) {
			MapScanCursor<byte[], byte[]> fields = commands.hscan(key, ScanCursor.INITIAL,
					ScanArgs.Builder.limit(HASH_FIELDS));
			fields.getMap().values().stream().limit(HASH_FIELDS).forEach(values::add);
		}
		return Advisor.Sample.of(key, type, memory, values);
	}

	static Duration parseDuration(String text) {
		String value = text.trim().toLowerCase(Locale.ROOT);
		try {
			if (value.endsWith("ms")) {
				return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
			}
			long amount = Long.parseLong(value.substring(0, value.length() - 1));
			return switch (value.charAt(value.length() - 1)) {
				case 's' -> Duration.ofSeconds(amount);
				case 'm' -> Duration.ofMinutes(amount);
				case 'h' -> Duration.ofHours(amount);
				default -> Duration.ofSeconds(Long.parseLong(value));
			};
		}
		catch (RuntimeException ex) {
			throw new CliException(CliException.USAGE,
					"--max-time '" + text + "' is not a duration; use e.g. 30s, 5m or 1h");
		}
	}

}
