package io.github.compressredis.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.internal.stats.RedisMemoryEstimate;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.jspecify.annotations.Nullable;

/**
 * Converts the values of every master in place. Each write is a compare-and-set in Redis
 * (a Lua script that replaces the value only if it still holds the bytes that were read,
 * with {@code KEEPTTL}), so a value an application changes meanwhile keeps the
 * application's version and its TTL is kept exactly. The SCAN cursor of each master is
 * checkpointed after every batch.
 *
 * @author compress-redis contributors
 */
final class Migration {

	/** Replace a string only if it still holds ARGV[1]; keep its TTL (Redis 6.0+). */
	static final String SET_IF_UNCHANGED = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
			+ "redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 end return 0";

	/**
	 * Replace a hash field only if it still holds ARGV[2]; fields carry no TTL of their
	 * own here.
	 */
	static final String HSET_IF_UNCHANGED = "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then "
			+ "redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) return 1 end return 0";

	/**
	 * Make a set member plain: ARGV[1] the framed member, ARGV[2] its decoded bytes. Adds
	 * before it removes, so the set is never empty in between and keeps its TTL. 0: the
	 * framed member is gone (changed meanwhile), 1: replaced, 2: the plain member was
	 * already there (duplicate merged).
	 */
	static final String SET_MEMBER_PLAIN = "if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 0 end "
			+ "local added = redis.call('SADD', KEYS[1], ARGV[2]) redis.call('SREM', KEYS[1], ARGV[1]) "
			+ "if added == 1 then return 1 end return 2";

	/**
	 * Make a sorted-set member plain with its score; if the plain member is already
	 * there, it keeps its own score and the framed one is dropped. Results as
	 * {@link #SET_MEMBER_PLAIN}.
	 */
	static final String ZSET_MEMBER_PLAIN = "local score = redis.call('ZSCORE', KEYS[1], ARGV[1]) "
			+ "if not score then return 0 end local result = 2 "
			+ "if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then redis.call('ZADD', KEYS[1], score, ARGV[2]) "
			+ "result = 1 end redis.call('ZREM', KEYS[1], ARGV[1]) return result";

	/**
	 * Make the list value at index ARGV[1] plain, only if it still holds the framed bytes
	 * ARGV[2]; LSET keeps the TTL. 0: changed meanwhile (the application's write is
	 * kept), 1: replaced.
	 */
	static final String LIST_VALUE_PLAIN = "if redis.call('LINDEX', KEYS[1], ARGV[1]) == ARGV[2] then "
			+ "redis.call('LSET', KEYS[1], ARGV[1], ARGV[3]) return 1 end return 0";

	/**
	 * The types whose members Redis compares by bytes; their members are always written
	 * plain.
	 */
	private static final Set<String> MEMBER_TYPES = Set.of("set", "zset", "list");

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
			throttle(page.getKeys().size());
			migrateBatch(commands, page.getKeys());
			this.progress.advance(page.getKeys().size());
			this.checkpoint.save(node.id(), page.getCursor(), page.isFinished(), this.counts);
			cursor = page;
		}
		while (!page.isFinished());
	}

	/**
	 * Convert one SCAN batch, pipelined: the reads of every key, then the
	 * compare-and-sets, then the measurements after, each as one round of commands in
	 * flight. Hashes go field by field.
	 * @param commands the connection to the node that holds the keys
	 * @param keys the keys of the batch
	 */
	private void migrateBatch(RedisCommands<byte[], byte[]> commands, List<byte[]> keys) {
		RedisAsyncCommands<byte[], byte[]> async = commands.getStatefulConnection().async();
		List<Read> reads = new ArrayList<>(keys.size());
		for (byte[] key : keys) {
			String name = new String(key, StandardCharsets.UTF_8);
			// the dictionaries the values need are not values
			reads.add(name.startsWith(this.settings.dictionaryPrefix()) ? new Read(key, name, null, null, null)
					: new Read(
							key, name, async.type(key), async.dispatch(CommandType.MEMORY,
									new IntegerOutput<>(ByteArrayCodec.INSTANCE), memoryUsageArgs(key)),
							async.get(key)));
		}
		List<Write> writes = new ArrayList<>();
		for (Read read : reads) {
			this.counts.add("scanned", 1);
			String type = (read.type() != null) ? await(read.type()) : null;
			// Set.of refuses contains(null): a dictionary key has no type read
			if (type == null || !"string".equals(type) && !"hash".equals(type) && !MEMBER_TYPES.contains(type)) {
				this.counts.add("other-types", 1);
				continue;
			}
			Long usage = await(read.memory());
			long memoryBefore = (usage != null) ? usage : 0;
			try {
				if ("hash".equals(type)) {
					if (!migrateHash(commands, read.key(), read.name(), memoryBefore)) {
						unchangedMemory(memoryBefore);
					}
					continue;
				}
				if (MEMBER_TYPES.contains(type)) {
					if (!migrateMembers(commands, read.key(), type, memoryBefore)) {
						unchangedMemory(memoryBefore);
					}
					continue;
				}
				byte[] stored = awaitValue(read.value());
				if (stored == null) {
					// deleted, or made another type, since SCAN returned it
					this.counts.add("conflicts", 1);
					unchangedMemory(memoryBefore);
					continue;
				}
				Write write = stringWrite(async, read, stored, memoryBefore);
				if (write != null) {
					writes.add(write);
				}
			}
			catch (ConversionFailure ex) {
				fail(read.name(), ex.getMessage());
				unchangedMemory(memoryBefore);
			}
		}
		List<Written> written = new ArrayList<>();
		for (Write write : writes) {
			Long replaced = await(write.replaced());
			if (replaced == null || replaced != 1) {
				this.counts.add("bytes-after", write.stored().length);
				this.counts.add("conflicts", 1);
				unchangedMemory(write.memoryBefore());
				continue;
			}
			this.counts.add("bytes-after", write.conversion().replacement().length);
			this.counts.add("changed", 1);
			written.add(new Written(write,
					async.dispatch(CommandType.MEMORY, new IntegerOutput<>(ByteArrayCodec.INSTANCE),
							memoryUsageArgs(write.read().key())),
					this.settings.verify() ? async.get(write.read().key()) : null));
		}
		for (Written done : written) {
			Write write = done.write();
			Long after = await(done.memoryAfter());
			this.counts.add("memory-before", write.memoryBefore());
			this.counts.add("memory-after", (after != null) ? after : 0);
			if (done.readBack() != null) {
				verify(write.read().name(), awaitValue(done.readBack()), write.conversion().replacement(),
						write.conversion().original());
			}
		}
	}

	/**
	 * Decide a string's conversion; count it, and start its compare-and-set unless
	 * nothing changes.
	 * @param async the asynchronous commands the compare-and-set is sent on
	 * @param read the key's reads, complete
	 * @param stored the value as stored
	 * @param memoryBefore the key's {@code MEMORY USAGE} before the conversion
	 * @return the compare-and-set in flight, or {@code null} when nothing changes
	 */
	private @Nullable Write stringWrite(RedisAsyncCommands<byte[], byte[]> async, Read read, byte[] stored,
			long memoryBefore) {
		Conversion conversion = convert(stored);
		this.counts.add("bytes-before", stored.length);
		if (conversion == null) {
			this.counts.add("bytes-after", stored.length);
			this.counts.add("unchanged", 1);
			unchangedMemory(memoryBefore);
			return null;
		}
		byte[] replacement = conversion.replacement();
		if (this.settings.dryRun()) {
			this.counts.add("bytes-after", replacement.length);
			this.counts.add("changed", 1);
			this.counts.add("memory-before", memoryBefore);
			this.counts.add("memory-after", RedisMemoryEstimate.perKey(read.name(), replacement.length));
			return null;
		}
		RedisFuture<Long> replaced = async.eval(SET_IF_UNCHANGED, ScriptOutputType.INTEGER, new byte[][] { read.key() },
				stored, replacement);
		return new Write(read, stored, conversion, memoryBefore, replaced);
	}

	private void unchangedMemory(long memory) {
		this.counts.add("memory-before", memory);
		this.counts.add("memory-after", memory);
	}

	private static <T> T await(RedisFuture<T> future) {
		try {
			return future.get(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException(1, "Interrupted; the checkpoint holds the progress so far");
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Redis did not answer within a minute", ex);
		}
	}

	/**
	 * A GET's value, {@code null} if the key is gone or is no longer a string.
	 * @param future the GET in flight
	 * @return the value, or {@code null}
	 */
	private static byte @Nullable [] awaitValue(RedisFuture<byte[]> future) {
		try {
			return await(future);
		}
		catch (RedisCommandExecutionException ex) {
			if (String.valueOf(ex.getMessage()).startsWith("WRONGTYPE")) {
				return null;
			}
			throw ex;
		}
	}

	private boolean migrateHash(RedisCommands<byte[], byte[]> commands, byte[] key, String name, long memoryBefore) {
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
					failure = new ConversionFailure(
							"field '" + new String(field, StandardCharsets.UTF_8) + "': " + ex.getMessage());
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
				Long replaced = commands.eval(HSET_IF_UNCHANGED, ScriptOutputType.INTEGER, new byte[][] { key }, field,
						stored, replacement);
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
	 * Canonicalise the members of a set, sorted set or list: every member in
	 * compress-redis's format (written so by 0.1.0) becomes its decoded bytes, whatever
	 * {@code --to} says, since Redis cannot match a framed member against the plain
	 * argument the starter now sends. Paged with SSCAN, ZSCAN or LRANGE; each member
	 * replaced by a script that checks it is still there, the scripts of a page
	 * pipelined.
	 * @param commands the connection to the node that holds the key
	 * @param key the key of the set, sorted set or list
	 * @param type the key's type: {@code set}, {@code zset} or {@code list}
	 * @param memoryBefore the key's {@code MEMORY USAGE} before the conversion
	 * @return whether any member changed
	 */
	private boolean migrateMembers(RedisCommands<byte[], byte[]> commands, byte[] key, String type, long memoryBefore) {
		RedisAsyncCommands<byte[], byte[]> async = commands.getStatefulConnection().async();
		byte[][] keys = { key };
		MemberTally tally = new MemberTally();
		int batch = this.settings.batch();
		if ("list".equals(type)) {
			for (long start = 0;; start += batch) {
				List<byte[]> page = commands.lrange(key, start, start + batch - 1);
				throttle(page.size());
				List<MemberWrite> writes = new ArrayList<>();
				for (int i = 0; i < page.size(); i++) {
					long index = start + i;
					byte[] stored = page.get(i);
					MemberWrite write = canonicalise(stored, tally,
							(plain) -> async.eval(LIST_VALUE_PLAIN, ScriptOutputType.INTEGER, keys,
									Long.toString(index).getBytes(StandardCharsets.US_ASCII), stored, plain),
							(plain) -> Arrays.equals(commands.lindex(key, index), plain));
					if (write != null) {
						writes.add(write);
					}
				}
				writes.forEach((write) -> complete(write, tally));
				if (page.size() < batch) {
					break;
				}
			}
		}
		else {
			boolean set = "set".equals(type);
			ScanArgs args = ScanArgs.Builder.limit(batch);
			ScanCursor cursor = ScanCursor.INITIAL;
			ScanCursor page;
			do {
				List<byte[]> members;
				if (set) {
					ValueScanCursor<byte[]> values = commands.sscan(key, cursor, args);
					members = values.getValues();
					page = values;
				}
				else {
					ScoredValueScanCursor<byte[]> values = commands.zscan(key, cursor, args);
					members = values.getValues().stream().map(ScoredValue::getValue).toList();
					page = values;
				}
				throttle(members.size());
				List<MemberWrite> writes = new ArrayList<>();
				for (byte[] stored : members) {
					MemberWrite write = canonicalise(stored, tally,
							(plain) -> async.eval(set ? SET_MEMBER_PLAIN : ZSET_MEMBER_PLAIN, ScriptOutputType.INTEGER,
									keys, stored, plain),
							(plain) -> set ? commands.sismember(key, plain) : commands.zscore(key, plain) != null);
					if (write != null) {
						writes.add(write);
					}
				}
				writes.forEach((write) -> complete(write, tally));
				cursor = page;
			}
			while (!page.isFinished());
		}
		this.counts.add("member-conflicts", tally.conflicts);
		if (tally.failure != null) {
			throw new ConversionFailure(tally.failure);
		}
		if (tally.changed == 0) {
			this.counts.add("unchanged", 1);
			return false;
		}
		this.counts.add("changed", 1);
		this.counts.add("members-changed", tally.changed);
		this.counts.add("members-merged", tally.merged);
		this.counts.add("verified", tally.verified);
		this.counts.add("memory-before", memoryBefore);
		this.counts.add("memory-after", this.settings.dryRun() ? memoryBefore : memoryUsage(commands, key));
		return true;
	}

	/**
	 * Start making one member plain if it is a compress-redis frame (a foreign format's
	 * member is left as it is: the application may compare it as it is).
	 * @param stored the member as stored
	 * @param tally what happened to the key's members so far
	 * @param write starts the script for the plain bytes
	 * @param present whether Redis now finds the plain member (for {@code --verify})
	 * @return the script in flight, {@code null} if nothing is written
	 */
	private @Nullable MemberWrite canonicalise(byte[] stored, MemberTally tally,
			Function<byte[], RedisFuture<Long>> write, Predicate<byte[]> present) {
		this.counts.add("bytes-before", stored.length);
		byte[] plain;
		try {
			plain = plainMember(stored);
		}
		catch (ConversionFailure ex) {
			tally.failure = "a member of " + stored.length + " bytes: " + ex.getMessage();
			this.counts.add("bytes-after", stored.length);
			return null;
		}
		if (plain == null) {
			this.counts.add("bytes-after", stored.length);
			return null;
		}
		if (this.settings.dryRun()) {
			this.counts.add("bytes-after", plain.length);
			tally.changed++;
			return null;
		}
		return new MemberWrite(stored, plain, write.apply(plain), present);
	}

	private void complete(MemberWrite write, MemberTally tally) {
		Long result = await(write.result());
		if (result == null || result == 0) {
			// removed or changed by the application since it was read: its write is kept
			this.counts.add("bytes-after", write.stored().length);
			tally.conflicts++;
			return;
		}
		// a duplicate merged into the plain member adds no bytes
		this.counts.add("bytes-after", (result == 2) ? 0 : write.plain().length);
		tally.changed++;
		tally.merged += (result == 2) ? 1 : 0;
		if (this.settings.verify() && write.present().test(write.plain())) {
			tally.verified++;
		}
	}

	/**
	 * The canonical form of a member.
	 * @param stored the member as stored
	 * @return its decoded bytes, or {@code null} if it is already canonical
	 * @throws ConversionFailure if it is a compress-redis frame that does not decode
	 */
	byte @Nullable [] plainMember(byte[] stored) {
		if (!WireFormat.isFramed(stored)) {
			return null;
		}
		ValueReader.Reading reading = this.reader.read(stored);
		byte[] original = reading.original();
		if (original == null) {
			throw new ConversionFailure(reading.label() + " member does not decode: " + reading.error());
		}
		// bytes that begin with the magic keep their escaping frame: plain, they would
		// read as a frame
		return WireFormat.isFramed(original) ? null : original;
	}

	/**
	 * Decide what a stored value becomes.
	 * @param stored the value as stored
	 * @return the conversion, or {@code null} when the value is already as the target
	 * wants
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
			// another writer changed it after the compare-and-set: its value is the one
			// to keep
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

	/**
	 * Wait until {@code keys} more keys fit the rate.
	 * @param keys the number of keys about to be read
	 */
	private void throttle(int keys) {
		int rate = this.settings.rate();
		if (rate <= 0) {
			return;
		}
		long now = System.nanoTime();
		long permit = Math.max(this.nextPermit, now);
		this.nextPermit = permit + keys * 1_000_000_000L / rate;
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

	/**
	 * {@code MEMORY USAGE key SAMPLES 0}: every field of a hash, not an estimate from
	 * five.
	 * @param commands the connection to the node that holds the key
	 * @param key the key to measure
	 * @return the bytes the key and its value use, {@code 0} if the key is gone
	 */
	static long memoryUsage(RedisCommands<byte[], byte[]> commands, byte[] key) {
		Long usage = commands.dispatch(CommandType.MEMORY, new IntegerOutput<>(ByteArrayCodec.INSTANCE),
				memoryUsageArgs(key));
		return (usage != null) ? usage : 0;
	}

	private static CommandArgs<byte[], byte[]> memoryUsageArgs(byte[] key) {
		return new CommandArgs<>(ByteArrayCodec.INSTANCE).add("USAGE").addKey(key).add("SAMPLES").add(0);
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

	/**
	 * The reads of one key, in flight ({@code null} futures for a key that is skipped
	 * unread).
	 */
	private record Read(byte[] key, String name, @Nullable RedisFuture<String> type, @Nullable RedisFuture<Long> memory,
			@Nullable RedisFuture<byte[]> value) {

	}

	/** A string's compare-and-set in flight. */
	private record Write(Read read, byte[] stored, Conversion conversion, long memoryBefore,
			RedisFuture<Long> replaced) {

	}

	/**
	 * A string replaced: its MEMORY USAGE after and, with --verify, its read-back, in
	 * flight.
	 */
	private record Written(Write write, RedisFuture<Long> memoryAfter, @Nullable RedisFuture<byte[]> readBack) {

	}

	/**
	 * A member's script in flight: 0 changed meanwhile, 1 replaced, 2 merged into its
	 * plain twin.
	 */
	private record MemberWrite(byte[] stored, byte[] plain, RedisFuture<Long> result, Predicate<byte[]> present) {

	}

	/** What happened to the members of one key. */
	private static final class MemberTally {

		int changed;

		int merged;

		int conflicts;

		int verified;

		@Nullable String failure;

	}

	/**
	 * A value's original bytes and what replaces the stored ones.
	 *
	 * @param original the value as the application wrote it
	 * @param replacement the bytes to store instead
	 */
	record Conversion(byte[] original, byte[] replacement) {

	}

	/** A value that cannot be converted (it does not decode). */
	static final class ConversionFailure extends RuntimeException {

		ConversionFailure(String message) {
			super(message);
		}

	}

}
