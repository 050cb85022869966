package io.github.compressredis.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.stats.RedisMemoryEstimate;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.jspecify.annotations.Nullable;

/**
 * Converts the values of every master in place. Each write is a compare-and-set in Redis (a Lua
 * script that replaces the value only if it still holds the bytes that were read, with
 * {@code KEEPTTL}), so a value an application changes meanwhile keeps the application's version
 * and its TTL is kept exactly. The SCAN cursor of each master is checkpointed after every batch.
 */
final class Migration {

	/** Replace a string only if it still holds ARGV[1]; keep its TTL (Redis 6.0+). */
	static final String SET_IF_UNCHANGED = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
			+ "redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 end return 0";

	/** Replace a hash field only if it still holds ARGV[2]; fields carry no TTL of their own here. */
	static final String HSET_IF_UNCHANGED = "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then "
			+ "redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) return 1 end return 0";

	private static final int MAX_REPORTED_FAILURES = 20;

	private final Settings settings;

	private final ValueReader reader;

	private final @Nullable ValueCompressor writer;

	private final Checkpoint checkpoint;

	private final MigrationCounts counts;

	private final Progress progress;

	private final PrintStream err;

	private final AtomicInteger reportedFailures = new AtomicInteger();

	private long nextPermit = System.nanoTime();

	Migration(Settings settings, ValueReader reader, @Nullable ValueCompressor writer, Checkpoint checkpoint,
			MigrationCounts counts, Progress progress, PrintStream err) {
		this.settings = settings;
		this.reader = reader;
		this.writer = writer;
		this.checkpoint = checkpoint;
		this.counts = counts;
		this.progress = progress;
		this.err = err;
	}

	void run(List<RedisEndpoint.Node> masters, String display) {
		for (RedisEndpoint.Node node : masters) {
			if (this.checkpoint.done(node.id())) {
				continue;
			}
			try {
				migrate(node);
			}
			catch (RuntimeException ex) {
				throw RedisEndpoint.RedisErrors.translate(ex, display + " (master " + node.address() + ")");
			}
		}
	}

	private void migrate(RedisEndpoint.Node node) {
		RedisCommands<byte[], byte[]> commands = node.commands();
		ScanArgs args = ScanArgs.Builder.matches(this.settings.match()).limit(this.settings.batch());
		ScanCursor cursor = ScanCursor.of(this.checkpoint.cursor(node.id()));
		KeyScanCursor<byte[]> page;
		do {
			page = commands.scan(cursor, args);
			for (byte[] key : page.getKeys()) {
				throttle();
				migrateKey(commands, key);
				this.progress.advance(1);
			}
			this.checkpoint.save(node.id(), page.getCursor(), page.isFinished(), this.counts);
			cursor = page;
		}
		while (!page.isFinished());
	}

	private void migrateKey(RedisCommands<byte[], byte[]> commands, byte[] key) {
		this.counts.add("scanned", 1);
		String name = new String(key, StandardCharsets.UTF_8);
		if (name.startsWith(this.settings.dictionaryPrefix())) {
			// the dictionaries the values need are not values
			this.counts.add("other-types", 1);
			return;
		}
		String type = commands.type(key);
		if (!"string".equals(type) && !"hash".equals(type)) {
			this.counts.add("other-types", 1);
			return;
		}
		long memoryBefore = memoryUsage(commands, key);
		boolean changed;
		try {
			changed = "string".equals(type) ? migrateString(commands, key, name, memoryBefore)
					: migrateHash(commands, key, name, memoryBefore);
		}
		catch (ConversionFailure ex) {
			fail(name, ex.getMessage());
			this.counts.add("memory-before", memoryBefore);
			this.counts.add("memory-after", memoryBefore);
			return;
		}
		if (!changed) {
			this.counts.add("memory-before", memoryBefore);
			this.counts.add("memory-after", memoryBefore);
		}
	}

	private boolean migrateString(RedisCommands<byte[], byte[]> commands, byte[] key, String name,
			long memoryBefore) {
		byte[] stored = commands.get(key);
		if (stored == null) {
			// deleted since SCAN returned it
			this.counts.add("conflicts", 1);
			return false;
		}
		Conversion conversion = convert(stored);
		this.counts.add("bytes-before", stored.length);
		if (conversion == null) {
			this.counts.add("bytes-after", stored.length);
			this.counts.add("unchanged", 1);
			return false;
		}
		byte[] replacement = conversion.replacement();
		if (this.settings.dryRun()) {
			this.counts.add("bytes-after", replacement.length);
			this.counts.add("changed", 1);
			this.counts.add("memory-before", memoryBefore);
			this.counts.add("memory-after", RedisMemoryEstimate.perKey(name, replacement.length));
			return true;
		}
		Long replaced = commands.eval(SET_IF_UNCHANGED, ScriptOutputType.INTEGER, new byte[][] { key }, stored,
				replacement);
		if (replaced == null || replaced != 1) {
			this.counts.add("bytes-after", stored.length);
			this.counts.add("conflicts", 1);
			return false;
		}
		this.counts.add("bytes-after", replacement.length);
		this.counts.add("changed", 1);
		this.counts.add("memory-before", memoryBefore);
		this.counts.add("memory-after", memoryUsage(commands, key));
		if (this.settings.verify()) {
			verify(name, commands.get(key), replacement, conversion.original());
		}
		return true;
	}

	private boolean migrateHash(RedisCommands<byte[], byte[]> commands, byte[] key, String name,
			long memoryBefore) {
		int changed = 0;
		ScanCursor cursor = ScanCursor.INITIAL;
		MapScanCursor<byte[], byte[]> page;
		ConversionFailure failure = null;
		do {
			page = commands.hscan(key, cursor, ScanArgs.Builder.limit(this.settings.batch()));
			for (var entry : page.getMap().entrySet()) {
				byte[] field = entry.getKey();
				byte[] stored = entry.getValue();
				Conversion conversion;
				try {
					conversion = convert(stored);
				}
				catch (ConversionFailure ex) {
					failure = new ConversionFailure("field '" + new String(field, StandardCharsets.UTF_8) + "': "
							+ ex.getMessage());
					continue;
				}
				this.counts.add("bytes-before", stored.length);
				if (conversion == null) {
					this.counts.add("bytes-after", stored.length);
					continue;
				}
				byte[] replacement = conversion.replacement();
				if (this.settings.dryRun()) {
					this.counts.add("bytes-after", replacement.length);
					changed++;
					continue;
				}
				Long replaced = commands.eval(HSET_IF_UNCHANGED, ScriptOutputType.INTEGER, new byte[][] { key },
						field, stored, replacement);
				if (replaced != null && replaced == 1) {
					this.counts.add("bytes-after", replacement.length);
					changed++;
					if (this.settings.verify()) {
						verify(name, commands.hget(key, field), replacement, conversion.original());
					}
				}
				else {
					this.counts.add("bytes-after", stored.length);
				}
			}
			cursor = page;
		}
		while (!page.isFinished());
		if (failure != null) {
			throw failure;
		}
		if (changed == 0) {
			this.counts.add("unchanged", 1);
			return false;
		}
		this.counts.add("changed", 1);
		this.counts.add("fields-changed", changed);
		this.counts.add("memory-before", memoryBefore);
		this.counts.add("memory-after", this.settings.dryRun() ? memoryBefore : memoryUsage(commands, key));
		return true;
	}

	/**
	 * Decide what a stored value becomes.
	 * @return the conversion, or {@code null} when the value is already as the target wants
	 */
	@Nullable Conversion convert(byte[] stored) {
		ValueReader.Reading reading = this.reader.read(stored);
		byte[] original = reading.original();
		if (original == null) {
			throw new ConversionFailure(reading.label() + " value does not decode: " + reading.error());
		}
		ValueCompressor writer = this.writer;
		switch (reading.kind()) {
			case PLAIN:
				if (writer == null) {
					return null;
				}
				break;
			case COMPRESS_REDIS:
				if (writer != null && !this.settings.recompress()) {
					return null;
				}
				break;
			default:
				break;
		}
		byte[] replacement = (writer != null) ? writer.compress(original) : original;
		return Arrays.equals(replacement, stored) ? null : new Conversion(original, replacement);
	}

	private void verify(String name, byte @Nullable [] readBack, byte[] written, byte[] original) {
		if (readBack == null || !Arrays.equals(readBack, written)) {
			// another writer changed it after the compare-and-set: its value is the one to keep
			return;
		}
		byte[] decoded = (this.writer != null) ? this.reader.read(readBack).original() : readBack;
		if (decoded == null || !Arrays.equals(decoded, original)) {
			fail(name, "verification failed: the value written does not decode to the original bytes");
			return;
		}
		this.counts.add("verified", 1);
	}

	private void fail(String name, String why) {
		this.counts.add("failed", 1);
		int reported = this.reportedFailures.incrementAndGet();
		if (reported <= MAX_REPORTED_FAILURES) {
			this.err.println("failed: " + name + ": " + why);
		}
		else if (reported == MAX_REPORTED_FAILURES + 1) {
			this.err.println("(further failures are counted, not listed)");
		}
	}

	private void throttle() {
		int rate = this.settings.rate();
		if (rate <= 0) {
			return;
		}
		long now = System.nanoTime();
		long permit = Math.max(this.nextPermit, now);
		this.nextPermit = permit + 1_000_000_000L / rate;
		long wait = permit - now;
		if (wait > 0) {
			try {
				Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new CliException(1, "Interrupted; the checkpoint holds the progress so far");
			}
		}
	}

	/** {@code MEMORY USAGE key SAMPLES 0}: every field of a hash, not an estimate from five. */
	static long memoryUsage(RedisCommands<byte[], byte[]> commands, byte[] key) {
		CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).add("USAGE")
			.addKey(key)
			.add("SAMPLES")
			.add(0);
		Long usage = commands.dispatch(CommandType.MEMORY, new IntegerOutput<>(ByteArrayCodec.INSTANCE), args);
		return (usage != null) ? usage : 0;
	}

	/**
	 * What a migration does.
	 *
	 * @param match the SCAN MATCH pattern
	 * @param batch the SCAN COUNT hint
	 * @param recompress whether values already in compress-redis's format are re-encoded
	 * @param dryRun whether to write nothing
	 * @param verify whether to read back every value written
	 * @param rate the most keys per second, 0 for no limit
	 * @param dictionaryPrefix the prefix of the dictionary keys, which are never touched
	 */
	record Settings(String match, int batch, boolean recompress, boolean dryRun, boolean verify, int rate,
			String dictionaryPrefix) {

	}

	/** A value's original bytes and what replaces the stored ones. */
	record Conversion(byte[] original, byte[] replacement) {

	}

	/** A value that cannot be converted (it does not decode). */
	static final class ConversionFailure extends RuntimeException {

		ConversionFailure(String message) {
			super(message);
		}

	}

}
