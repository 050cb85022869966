package io.github.compressredis.cli;

import java.nio.file.Path;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migrate}: convert values in place, to a codec or back to plain.
 *
 * @author compress-redis contributors
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
		description = { "Convert values in place to a codec, or back to plain (the rollback).",
				"Converts the strings and hash fields whose keys match a pattern:",
				"--to zstd:3 compresses plain values (and foreign ones named with --foreign);",
				"--to plain is the rollback: every value back to the exact bytes the application's serializer wrote.",
				"Members of sets, sorted sets and lists are always made plain, whatever --to",
				"says (Redis compares them by bytes): members 0.1.0 compressed are decoded;",
				"one whose plain twin exists merges into it (keeping the twin's score).",
				"Each write is a compare-and-set in Redis that keeps the TTL, so concurrent writes win.",
				"Prints keys scanned/changed/skipped/failed, bytes and the sum of MEMORY USAGE before and after." })
final class MigrateCommand extends RedisCommand {

	@Option(names = "--match", defaultValue = "*", paramLabel = "PATTERN",
			description = "SCAN MATCH pattern of the keys to convert (default: ${DEFAULT-VALUE}).")
	String match = "*";

	@Option(names = "--to", required = true, paramLabel = "CODEC[:LEVEL]|plain",
			description = "What values become: zstd[:level], lz4[:level], gzip[:level], deflate[:level], snappy, or plain.")
	String to = "zstd:3";

	@Option(names = "--recompress",
			description = "Also re-encode values already in compress-redis's format with --to's codec and level.")
	boolean recompress;

	@Mixin
	PolicyOptions thresholds = new PolicyOptions();

	@Option(names = "--rate", defaultValue = "0", paramLabel = "KEYS_PER_SECOND",
			description = "Process at most this many keys (and set, sorted-set and list members) per second (default: no limit).")
	int rate;

	@Option(names = "--dry-run", description = "Write nothing; report what would change (memory after is estimated).")
	boolean dryRun;

	@Option(names = "--verify",
			description = "Read back every value written and check it decodes to the original bytes.")
	boolean verify;

	@Option(names = "--checkpoint", paramLabel = "FILE",
			description = "Save progress here after every batch; run the same command again to resume after a kill.")
	Path checkpoint;

	@Option(names = "--batch", defaultValue = "100", paramLabel = "N",
			description = "SCAN COUNT hint (default: ${DEFAULT-VALUE}).")
	int batch = 100;

	@Option(names = "--quiet", description = "No progress bar.")
	boolean quiet;

	@Override
	public Integer call() {
		Target target = Target.parse(this.to);
		if (this.rate < 0 || this.batch < 1) {
			throw new CliException(CliException.USAGE, "--rate must be 0 or more and --batch at least 1");
		}
		CompressionPolicy policy;
		try {
			policy = target.policy(this.thresholds.minSize, this.thresholds.maxRatio, this.redis.maxDecompressedSize);
		}
		catch (IllegalArgumentException ex) {
			throw new CliException(CliException.USAGE, ex.getMessage());
		}
		String job = "match=" + this.match + " to=" + target + " recompress=" + this.recompress + " foreign="
				+ this.redis.foreign + " dry-run=" + this.dryRun;
		Checkpoint checkpoint = Checkpoint.open(this.checkpoint, job);
		MigrationCounts counts = MigrationCounts.from(checkpoint);
		long scannedBefore = counts.get("scanned");
		long bytesBefore = counts.get("bytes-before");
		long bytesAfter = counts.get("bytes-after");
		try (RedisEndpoint endpoint = RedisEndpoint.connect(this.redis); CodecRegistry codecs = new CodecRegistry()) {
			ValueReader reader = new ValueReader(codecs, this.redis.foreignFormats(), this.redis.maxDecompressedSize,
					endpoint.dictionaries(this.redis, this.redis.dictionaryPrefix));
			ValueCompressor writer = target.plain() ? null
					: new ValueCompressor(new CompressionPolicyHolder(policy), codecs, new CompressionStats());
			long total = 0;
			try {
				for (RedisEndpoint.Node node : endpoint.masters()) {
					total += node.commands().dbsize();
				}
			}
			catch (RuntimeException ex) {
				throw RedisEndpoint.RedisErrors.translate(ex, endpoint.display());
			}
			if (checkpoint.resumed()) {
				this.err.printf("resuming from %s: %,d keys already scanned%n", this.checkpoint, scannedBefore);
			}
			Progress progress = Progress.onStderr(this.err, "keys", total, this.quiet);
			progress.advance(scannedBefore);
			Migration.Settings settings = new Migration.Settings(this.match, this.batch, this.recompress, this.dryRun,
					this.verify, this.rate, this.redis.dictionaryPrefix);
			long start = System.nanoTime();
			new Migration(settings, reader, writer, checkpoint, counts, progress, this.err).run(endpoint.masters(),
					endpoint.display());
			progress.finish();
			double seconds = (System.nanoTime() - start) / 1e9;
			this.out.println("migrate --match '" + this.match + "' --to " + target + " on " + endpoint.display() + " ("
					+ endpoint.masters().size() + ((endpoint.masters().size() == 1) ? " master)" : " masters)"));
			counts.print(this.out, this.dryRun, seconds, scannedBefore, bytesBefore, bytesAfter);
			return (counts.get("failed") > 0) ? 1 : 0;
		}
	}

}
