package io.github.compressredis.cli;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.github.compressredis.cli.Redis.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code inspect}, the errors every command gives, and {@code --help}, against a real
 * redis-server.
 */
class InspectCommandTests extends StandaloneServer {

	@BeforeEach
	void flush() {
		redis.commands().flushall();
	}

	@Test
	void inspectTellsFormatCodecSizesAndChecksumOfACompressedValue() {
		byte[] original = Corpus.values("mdn-bcd.jsonl").get(3);
		byte[] stored = compressor(Algorithm.ZSTD, 3).compress(original);
		redis.commands().set(bytes("product:1:details"), stored);
		redis.commands().expire(bytes("product:1:details"), 1000);
		Cli cli = Cli.run("inspect", "--uri", uri, "product:1:details");
		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		assertThat(cli.out()).contains("format:       compress-redis, version 1")
			.contains("codec:        zstd")
			.contains(String.format("stored:       %,d bytes", stored.length))
			.contains(String.format("original:     %,d bytes", original.length))
			.contains(", ok")
			.contains("memory usage:")
			.containsPattern("ttl: +\\d+\\.\\d{3} s");
	}

	@Test
	void rawWritesExactlyTheDecodedBytes() {
		byte[] original = Corpus.values("emoji.jsonl").get(10);
		redis.commands().set(bytes("emoji:10"), compressor(Algorithm.LZ4, 0).compress(original));
		Cli cli = Cli.run("inspect", "--uri", uri, "--raw", "emoji:10");
		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		assertThat(cli.stdout()).isEqualTo(original);
	}

	@Test
	void inspectSaysPlainForAValueWrittenWithoutCompression() {
		redis.commands().hset(bytes("h"), bytes("f"), bytes("{\"a\":1}"));
		Cli cli = Cli.run("inspect", "--uri", uri, "--field", "f", "h");
		assertThat(cli.out()).contains("format:       plain").contains("preview:      {\"a\":1}");
	}

	@Test
	void aCorruptValueIsReportedNotPrinted() {
		byte[] stored = compressor(Algorithm.ZSTD, 3).compress(Corpus.values("mdn-bcd.jsonl").get(3));
		stored[stored.length - 3] ^= 0x55;
		redis.commands().set(bytes("bad"), stored);
		Cli raw = Cli.run("inspect", "--uri", uri, "--raw", "bad");
		assertThat(raw.exitCode()).isEqualTo(1);
		assertThat(raw.stdout()).isEmpty();
		assertThat(raw.stderr()).contains("cannot be decoded");
		Cli described = Cli.run("inspect", "--uri", uri, "bad");
		assertThat(described.exitCode()).isEqualTo(1);
		assertThat(described.out()).contains("error:").contains("not checked");
	}

	@Test
	void aMissingKeyIsAClearError() {
		Cli cli = Cli.run("inspect", "--uri", uri, "nope");
		assertThat(cli.exitCode()).isEqualTo(1);
		assertThat(cli.stderr()).contains("Key 'nope' does not exist");
	}

	@Test
	void aBadUriSaysWhatIsExpected() {
		Cli cli = Cli.run("inspect", "--uri", "redis//nohost", "k");
		assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(CliException.USAGE);
		assertThat(cli.stderr()).contains("Bad --uri 'redis//nohost'").contains("redis-sentinel://");
	}

	@Test
	void anUnreachableServerIsAClearErrorWithoutAStackTrace() {
		int port;
		try (RedisServerProcess stopped = RedisServerProcess.start()) {
			port = stopped.port();
		}
		Cli cli = Cli.run("migrate", "--uri", "redis://user:secret@127.0.0.1:" + port, "--to", "zstd:3");
		assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(CliException.REDIS);
		assertThat(cli.stderr()).contains("Cannot reach Redis at redis://user:***@127.0.0.1:" + port)
			.doesNotContain("secret")
			.doesNotContain("\tat ");
	}

	@Test
	void aMissingPermissionNamesWhatTheUserNeeds() {
		redis.commands().set(bytes("k"), bytes("compressible ".repeat(100)));
		redis.commands()
			.aclSetuser("reader",
					io.lettuce.core.AclSetuserArgs.Builder.on()
						.addPassword("pw")
						.keyPattern("*")
						.addCommand(io.lettuce.core.protocol.CommandType.PING)
						.addCommand(io.lettuce.core.protocol.CommandType.TYPE)
						.addCommand(io.lettuce.core.protocol.CommandType.DBSIZE)
						.addCommand(io.lettuce.core.protocol.CommandType.SCAN)
						.addCommand(io.lettuce.core.protocol.CommandType.GET)
						.addCommand(io.lettuce.core.protocol.CommandType.MEMORY));
		String limited = "redis://reader:pw@" + server.host() + ":" + server.port();
		Cli cli = Cli.run("migrate", "--uri", limited, "--to", "zstd:3", "--min-size", "0", "--max-ratio", "1",
				"--quiet");
		assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(CliException.REDIS);
		assertThat(cli.stderr()).contains("refused a command: NOPERM").contains("+eval");
		Cli wrongPassword = Cli.run("inspect", "--uri", "redis://reader:wrong@" + server.host() + ":" + server.port(),
				"k");
		assertThat(wrongPassword.exitCode()).isEqualTo(CliException.REDIS);
		assertThat(wrongPassword.stderr()).contains("refused the credentials");
	}

	@Test
	void everyCommandHasHelp() {
		for (String command : new String[] { "advise", "migrate", "inspect" }) {
			Cli cli = Cli.run(command, "--help");
			assertThat(cli.exitCode()).isZero();
			assertThat(cli.out()).contains("Usage: compress-redis " + command).contains("--uri");
		}
	}

	@Test
	void versionIsTheBuildsVersion() {
		Cli cli = Cli.run("--version");
		assertThat(cli.exitCode()).isZero();
		assertThat(cli.out().strip()).matches("compress-redis \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
	}

	static ValueCompressor compressor(Algorithm algorithm, int level) {
		CompressionPolicy policy = CompressionPolicy.builder().algorithm(algorithm).level(level).build();
		return new ValueCompressor(new CompressionPolicyHolder(policy), new CodecRegistry(), new CompressionStats());
	}

}
