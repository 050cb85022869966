package io.github.compressredis.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.format.WireFormat;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.github.compressredis.cli.Redis.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrate} canonicalises the set, sorted-set and list members compress-redis 0.1.0
 * wrote compressed, on a real redis-server: Redis finds them by their plain bytes
 * afterwards, duplicates merge, order and TTLs are kept, and a member the application
 * changes meanwhile keeps its write.
 */
class MigrateMembersTests extends StandaloneServer {

	/**
	 * How compress-redis 0.1.0 wrote members: through the compressing value serializer.
	 */
	private static final ValueCompressor OLD_WRITER = InspectCommandTests.compressor(Algorithm.ZSTD, 3);

	@BeforeEach
	void flush() {
		redis.commands().flushall();
	}

	@Test
	void compressedMembersBecomePlainDuplicatesMergeAndOrderAndTtlsAreKept() {
		RedisCommands<byte[], byte[]> commands = redis.commands();
		for (int i = 0; i < 10; i++) {
			commands.sadd(bytes("tags"), framed(member(i)));
			commands.zadd(bytes("ranking"), i, framed(member(i)));
		}
		// written plain by the application since its upgrade: the same member twice in
		// Redis's eyes
		commands.sadd(bytes("tags"), member(0), bytes("short"));
		commands.zadd(bytes("ranking"), 100, member(0));
		List<byte[]> list = List.of(framed(member(1)), bytes("short"), framed(member(2)), framed(member(1)));
		for (byte[] value : list) {
			commands.rpush(bytes("queue"), value);
		}
		for (String key : List.of("tags", "ranking", "queue")) {
			commands.expire(bytes(key), 5000);
		}
		assertThat(commands.sismember(bytes("tags"), member(3))).isFalse();
		assertThat(commands.scard(bytes("tags"))).isEqualTo(12);

		Cli cli = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--verify", "--batch", "3", "--quiet");

		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		assertThat(cli.out()).contains("scanned 3, changed 3")
			.contains("members: 23 set, sorted-set and list members in compress-redis's format made plain "
					+ "(2 of them duplicates of a plain member, merged), 0 changed by another writer meanwhile");
		assertThat(commands.scard(bytes("tags"))).isEqualTo(11);
		assertThat(commands.zcard(bytes("ranking"))).isEqualTo(10);
		for (int i = 0; i < 10; i++) {
			assertThat(commands.sismember(bytes("tags"), member(i))).as("member %d", i).isTrue();
			assertThat(commands.zscore(bytes("ranking"), member(i))).isEqualTo((i == 0) ? 100.0 : i);
		}
		// --to says what values become, never members: none is framed afterwards
		assertThat(commands.smembers(bytes("tags"))).noneMatch(WireFormat::isFramed);
		assertThat(commands.zrange(bytes("ranking"), 0, -1)).noneMatch(WireFormat::isFramed);
		assertThat(commands.lrange(bytes("queue"), 0, -1)).containsExactly(member(1), bytes("short"), member(2),
				member(1));
		assertThat(commands.lpos(bytes("queue"), member(2))).isEqualTo(2);
		for (String key : List.of("tags", "ranking", "queue")) {
			assertThat(commands.ttl(bytes(key))).as(key).isBetween(4000L, 5000L);
		}
		Cli again = Cli.run("migrate", "--uri", uri, "--to", "plain", "--quiet");
		assertThat(again.out()).contains("changed 0").doesNotContain("members:");
		assertThat(Cli.run("migrate", "--help").out())
			.contains("Members of sets, sorted sets and lists are always made plain, whatever --to\n")
			.contains("one whose plain twin exists merges into it (keeping the twin's score).");
	}

	@Test
	void foreignMembersAndEscapedMagicBytesAreLeftAsTheyAre() {
		RedisCommands<byte[], byte[]> commands = redis.commands();
		byte[] gzip = gzip(member(1));
		byte[] magic = { (byte) 0xC1, (byte) 0x8D, 1, 2, 3 };
		byte[] escaped = OLD_WRITER.compress(magic);
		assertThat(WireFormat.isFramed(escaped)).isTrue();
		commands.sadd(bytes("s"), gzip, escaped, framed(member(2)));

		Cli cli = Cli.run("migrate", "--uri", uri, "--to", "plain", "--foreign", "gzip", "--quiet");

		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		assertThat(byteSet(commands.smembers(bytes("s")))).isEqualTo(byteSet(List.of(gzip, escaped, member(2))));
	}

	@Test
	void aDryRunChangesNoMember() {
		RedisCommands<byte[], byte[]> commands = redis.commands();
		List<byte[]> stored = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			stored.add(framed(member(i)));
			commands.sadd(bytes("tags"), stored.get(i));
			commands.rpush(bytes("queue"), stored.get(i));
		}

		Cli cli = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--dry-run", "--quiet");

		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		assertThat(cli.out()).contains("members: 10 set, sorted-set and list members in compress-redis's format "
				+ "would be made plain, 0 changed");
		assertThat(byteSet(commands.smembers(bytes("tags")))).isEqualTo(byteSet(stored));
		assertThat(commands.lrange(bytes("queue"), 0, -1)).containsExactlyElementsOf(stored);
	}

	@Test
	void theScriptsKeepWhatTheApplicationWroteBetweenReadAndWriteAndKeepTheTtl() {
		RedisCommands<byte[], byte[]> commands = redis.commands();
		byte[] framed = framed(member(1));
		byte[][] queue = { bytes("queue") };
		// read by the migration as [framed]; then the application sets index 0
		commands.rpush(bytes("queue"), framed);
		commands.expire(bytes("queue"), 1000);
		commands.lset(bytes("queue"), 0, bytes("the application's"));
		Long result = commands.eval(Migration.LIST_VALUE_PLAIN, ScriptOutputType.INTEGER, queue, bytes("0"), framed,
				member(1));
		assertThat(result).isZero();
		assertThat(commands.lrange(bytes("queue"), 0, -1)).containsExactly(bytes("the application's"));
		commands.rpush(bytes("queue"), framed);
		result = commands.eval(Migration.LIST_VALUE_PLAIN, ScriptOutputType.INTEGER, queue, bytes("1"), framed,
				member(1));
		assertThat(result).isOne();
		assertThat(commands.lrange(bytes("queue"), 0, -1)).containsExactly(bytes("the application's"), member(1));
		assertThat(commands.ttl(bytes("queue"))).isBetween(1L, 1000L);

		// a set's only member: replaced without the key ever being empty, so its TTL
		// stays
		byte[][] tags = { bytes("tags") };
		commands.sadd(bytes("tags"), framed);
		commands.expire(bytes("tags"), 1000);
		result = commands.eval(Migration.SET_MEMBER_PLAIN, ScriptOutputType.INTEGER, tags, framed, member(1));
		assertThat(result).isOne();
		assertThat(commands.smembers(bytes("tags"))).containsExactly(member(1));
		assertThat(commands.ttl(bytes("tags"))).isBetween(1L, 1000L);
		// removed by the application after the migration read it: not brought back
		commands.sadd(bytes("tags"), framed(member(2)));
		commands.srem(bytes("tags"), framed(member(2)));
		result = commands.eval(Migration.SET_MEMBER_PLAIN, ScriptOutputType.INTEGER, tags, framed(member(2)),
				member(2));
		assertThat(result).isZero();
		assertThat(commands.sismember(bytes("tags"), member(2))).isFalse();

		// a score the application changed after the migration read it is the one kept
		byte[][] ranking = { bytes("ranking") };
		commands.zadd(bytes("ranking"), 1, framed);
		commands.expire(bytes("ranking"), 1000);
		commands.zadd(bytes("ranking"), 0.1 + 0.2, framed);
		result = commands.eval(Migration.ZSET_MEMBER_PLAIN, ScriptOutputType.INTEGER, ranking, framed, member(1));
		assertThat(result).isOne();
		assertThat(commands.zscore(bytes("ranking"), member(1))).isEqualTo(0.1 + 0.2);
		assertThat(commands.zcard(bytes("ranking"))).isOne();
		assertThat(commands.ttl(bytes("ranking"))).isBetween(1L, 1000L);
	}

	static byte[] member(int i) {
		return bytes("{\"member\":" + i + ",\"description\":\"" + "a compressible description ".repeat(20) + "\"}");
	}

	/** A member as 0.1.0 stored it. */
	static byte[] framed(byte[] member) {
		byte[] framed = OLD_WRITER.compress(member);
		assertThat(WireFormat.isFramed(framed)).isTrue();
		return framed;
	}

	private static Set<String> byteSet(Iterable<byte[]> members) {
		Set<String> set = new HashSet<>();
		members.forEach((member) -> set.add(java.util.HexFormat.of().formatHex(member)));
		return set;
	}

	private static byte[] gzip(byte[] data) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(data);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

}
