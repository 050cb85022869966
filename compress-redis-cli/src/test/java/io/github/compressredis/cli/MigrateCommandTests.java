package io.github.compressredis.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.dictionary.Dictionary;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.dictionary.DictionaryTarget;
import io.github.compressredis.core.internal.dictionary.InMemoryDictionaryStore;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.testsupport.corpus.Corpus;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.compressredis.cli.Redis.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code migrate} against a real redis-server: in place and back byte for byte, TTLs
 * kept, concurrent writes kept, and a killed migration resumed.
 */
class MigrateCommandTests extends StandaloneServer {

	private static final ValueCompressor READER = InspectCommandTests.compressor(Algorithm.NONE, 0);

	@TempDir
	Path temp;

	@BeforeEach
	void flush() {
		redis.commands().flushall();
	}

	@Test
	void compressesInPlaceKeepsTtlsAndRollsBackByteForByte() {
		Map<String, byte[]> values = load(Corpus.values("emoji.jsonl").subList(0, 600), "emoji:");
		List<byte[]> fields = Corpus.values("mdn-bcd.jsonl").subList(0, 50);
		RedisCommands<byte[], byte[]> commands = redis.commands();
		for (int i = 0; i < fields.size(); i++) {
			commands.hset(bytes("features"), bytes("f" + i), fields.get(i));
		}
		commands.expire(bytes("features"), 5000);
		Map<String, Long> ttlBefore = ttls(values.keySet());
		long before = System.currentTimeMillis();
		Cli compress = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--verify", "--quiet");
		assertThat(compress.exitCode()).as(compress.toString()).isZero();
		long compressedKeys = values.values().stream().filter((v) -> v.length >= 192).count();
		assertThat(compress.out()).contains("scanned 601")
			.contains("failed 0")
			.contains("fields: 50 hash fields changed");
		int framed = 0;
		for (Map.Entry<String, byte[]> entry : values.entrySet()) {
			byte[] stored = commands.get(bytes(entry.getKey()));
			framed += WireFormat.isFramed(stored) ? 1 : 0;
			assertThat(READER.decompress(stored)).isEqualTo(entry.getValue());
		}
		assertThat(framed).isGreaterThan((int) (compressedKeys / 2));
		for (int i = 0; i < fields.size(); i++) {
			byte[] stored = commands.hget(bytes("features"), bytes("f" + i));
			assertThat(WireFormat.isFramed(stored)).isTrue();
			assertThat(READER.decompress(stored)).isEqualTo(fields.get(i));
		}
		assertTtlsKept(ttlBefore, before);
		Cli rollback = Cli.run("migrate", "--uri", uri, "--to", "plain", "--verify", "--quiet");
		assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
		for (Map.Entry<String, byte[]> entry : values.entrySet()) {
			assertThat(commands.get(bytes(entry.getKey()))).isEqualTo(entry.getValue());
		}
		for (int i = 0; i < fields.size(); i++) {
			assertThat(commands.hget(bytes("features"), bytes("f" + i))).isEqualTo(fields.get(i));
		}
		assertTtlsKept(ttlBefore, before);
		assertThat(commands.ttl(bytes("features"))).isBetween(1L, 5000L);
	}

	@Test
	void hyperLogLogsStayAsRedisEncodedThem() {
		RedisCommands<byte[], byte[]> commands = redis.commands();
		byte[][] elements = new byte[5000][];
		for (int i = 0; i < elements.length; i++) {
			elements[i] = bytes("visitor-" + i);
		}
		commands.pfadd(bytes("visitors"), elements);
		// PFCOUNT caches the cardinality in the value's header: count first, then take
		// the bytes
		long count = commands.pfcount(bytes("visitors"));
		byte[] before = commands.get(bytes("visitors"));
		Cli cli = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--min-size", "0", "--quiet");
		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		assertThat(commands.get(bytes("visitors"))).isEqualTo(before);
		assertThat(commands.pfcount(bytes("visitors"))).isEqualTo(count);
		assertThat(commands.pfadd(bytes("visitors"), bytes("visitor-new"))).isNotNull();
	}

	@Test
	void dryRunWritesNothingAndSaysWhatWouldChange() {
		Map<String, byte[]> values = load(Corpus.values("mdn-bcd.jsonl").subList(0, 100), "mdn:");
		Cli cli = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--dry-run", "--quiet");
		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		assertThat(cli.out()).contains("would change").contains("dry run: nothing written");
		values.forEach((key, value) -> assertThat(redis.commands().get(bytes(key))).isEqualTo(value));
	}

	@Test
	void recompressReencodesOnlyWhenAsked() {
		load(Corpus.values("mdn-bcd.jsonl").subList(0, 30), "mdn:");
		assertThat(Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--quiet").exitCode()).isZero();
		Cli without = Cli.run("migrate", "--uri", uri, "--to", "lz4", "--quiet");
		assertThat(without.out()).contains("changed 0");
		Cli with = Cli.run("migrate", "--uri", uri, "--to", "lz4", "--recompress", "--verify", "--quiet");
		assertThat(with.exitCode()).as(with.toString()).isZero();
		byte[] stored = redis.commands().get(bytes("mdn:0"));
		assertThat(WireFormat.parse(stored).codecId()).isEqualTo(Algorithm.LZ4.id());
	}

	@Test
	void aValueAnotherWriterChangesDuringTheMigrationKeepsThatWritersVersion() throws Exception {
		List<byte[]> corpus = Corpus.values("emoji.jsonl");
		Map<String, byte[]> values = load(corpus, "e:");
		List<String> keys = new ArrayList<>(values.keySet());
		Map<String, byte[]> lastWritten = new ConcurrentHashMap<>();
		AtomicBoolean migrating = new AtomicBoolean(true);
		ExecutorService writers = Executors.newFixedThreadPool(2);
		List<Future<?>> futures = new ArrayList<>();
		for (int w = 0; w < 2; w++) {
			int writer = w;
			futures.add(writers.submit(() -> {
				try (Redis own = new Redis(server.host(), server.port())) {
					// bounded: at most 20,000 writes each, or until the migration ends
					for (int i = 0; i < 20_000 && migrating.get(); i++) {
						String key = keys.get((i * 7 + writer * 13) % keys.size());
						if (key.hashCode() % 2 != writer) {
							continue;
						}
						byte[] value = ("{\"writer\":" + writer + ",\"i\":" + i + ",\"pad\":\"" + "x".repeat(300)
								+ "\"}")
							.getBytes(StandardCharsets.UTF_8);
						own.commands().set(bytes(key), value);
						lastWritten.put(key, value);
					}
				}
			}));
		}
		Cli cli;
		try {
			cli = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--batch", "10", "--quiet");
		}
		finally {
			migrating.set(false);
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
			writers.shutdown();
		}
		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		assertThat(lastWritten).isNotEmpty();
		for (String key : keys) {
			byte[] expected = lastWritten.getOrDefault(key, values.get(key));
			assertThat(READER.decompress(redis.commands().get(bytes(key)))).as(key).isEqualTo(expected);
		}
	}

	@Test
	void valuesWrittenWithATrainedDictionaryAreDecodedWithTheOneInRedisAndRolledBack() {
		List<byte[]> emoji = Corpus.values("emoji.jsonl").subList(0, 200);
		java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
		emoji.subList(100, 200).forEach(content::writeBytes);
		Dictionary dictionary = new Dictionary(7, "template:emoji", content.toByteArray(), java.time.Instant.EPOCH, 100,
				0.3, 0.5);
		InMemoryDictionaryStore store = new InMemoryDictionaryStore();
		store.save(dictionary);
		store.setCurrent("template:emoji", 7);
		Map<String, byte[]> values = new HashMap<>();
		try (DictionaryRegistry registry = new DictionaryRegistry(store, DictionarySettings.defaults())) {
			DictionaryTarget target = registry.target("template:emoji");
			registry.refresh();
			ValueCompressor writer = new ValueCompressor(
					new CompressionPolicyHolder(CompressionPolicy.builder().algorithm(Algorithm.ZSTD).build()),
					new CodecRegistry(), new CompressionStats(), null, registry, target);
			for (int i = 0; i < 100; i++) {
				redis.commands().set(bytes("emoji:" + i), writer.compress(emoji.get(i)));
				values.put("emoji:" + i, emoji.get(i));
			}
		}
		assertThat(WireFormat.parse(redis.commands().get(bytes("emoji:0"))).dictionaryId()).isEqualTo(7);
		Cli missing = Cli.run("migrate", "--uri", uri, "--to", "plain", "--quiet");
		assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
		assertThat(missing.stderr()).contains("missing-dictionary");
		redis.commands().set(bytes("compress-redis:dict:7"), dictionary.encode());
		Cli inspect = Cli.run("inspect", "--uri", uri, "emoji:0");
		assertThat(inspect.out()).contains("dictionary:   id 7").contains(", ok");
		Cli rollback = Cli.run("migrate", "--uri", uri, "--to", "plain", "--verify", "--quiet");
		assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
		values.forEach((key, value) -> assertThat(redis.commands().get(bytes(key))).isEqualTo(value));
		assertThat(redis.commands().get(bytes("compress-redis:dict:7"))).isEqualTo(dictionary.encode());
	}

	@Test
	void theCompareAndSetLeavesAValueChangedSinceItWasReadAndKeepsTheTtl() {
		RedisCommands<byte[], byte[]> commands = redis.commands();
		commands.set(bytes("k"), bytes("read by the migration"));
		commands.expire(bytes("k"), 1000);
		commands.set(bytes("k"), bytes("written by the application"));
		Long replaced = commands.eval(Migration.SET_IF_UNCHANGED, io.lettuce.core.ScriptOutputType.INTEGER,
				new byte[][] { bytes("k") }, bytes("read by the migration"), bytes("compressed"));
		assertThat(replaced).isZero();
		assertThat(commands.get(bytes("k"))).isEqualTo(bytes("written by the application"));
		commands.expire(bytes("k"), 1000);
		long ttl = commands.pttl(bytes("k"));
		replaced = commands.eval(Migration.SET_IF_UNCHANGED, io.lettuce.core.ScriptOutputType.INTEGER,
				new byte[][] { bytes("k") }, bytes("written by the application"), bytes("compressed"));
		assertThat(replaced).isOne();
		assertThat(commands.get(bytes("k"))).isEqualTo(bytes("compressed"));
		assertThat(commands.pttl(bytes("k"))).isBetween(ttl - 60_000, ttl);
		commands.hset(bytes("h"), bytes("f"), bytes("new"));
		replaced = commands.eval(Migration.HSET_IF_UNCHANGED, io.lettuce.core.ScriptOutputType.INTEGER,
				new byte[][] { bytes("h") }, bytes("f"), bytes("old"), bytes("compressed"));
		assertThat(replaced).isZero();
		assertThat(commands.hget(bytes("h"), bytes("f"))).isEqualTo(bytes("new"));
	}

	@Test
	void aKilledMigrationResumesFromItsCheckpoint() throws Exception {
		Map<String, byte[]> values = load(Corpus.values("emoji.jsonl"), "e:");
		Path checkpoint = this.temp.resolve("migrate.checkpoint");
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), CompressRedisCli.class.getName(), "migrate", "--uri", uri,
				"--to", "zstd:3", "--rate", "200", "--batch", "20", "--checkpoint", checkpoint.toString(), "--quiet"));
		Process child = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.temp.resolve("child.log").toFile())
			.start();
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> scanned(checkpoint) >= 100);
		}
		finally {
			child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
		long scannedAtKill = scanned(checkpoint);
		assertThat(scannedAtKill).isLessThan(values.size());
		Cli resumed = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--checkpoint", checkpoint.toString(),
				"--quiet");
		assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
		assertThat(resumed.stderr()).contains("resuming from");
		assertThat(scanned(checkpoint)).isGreaterThanOrEqualTo(values.size());
		long framed = 0;
		for (Map.Entry<String, byte[]> entry : values.entrySet()) {
			byte[] stored = redis.commands().get(bytes(entry.getKey()));
			framed += WireFormat.isFramed(stored) ? 1 : 0;
			assertThat(READER.decompress(stored)).isEqualTo(entry.getValue());
		}
		// every value that compresses was compressed, by the killed run or the resumed
		// one
		Cli again = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--quiet");
		assertThat(again.out()).contains("changed 0");
		assertThat(framed).isPositive();
		Cli other = Cli.run("migrate", "--uri", uri, "--to", "lz4", "--checkpoint", checkpoint.toString(), "--quiet");
		assertThat(other.exitCode()).isEqualTo(CliException.USAGE);
		assertThat(other.stderr()).contains("belongs to another migration");
	}

	private static long scanned(Path checkpoint) {
		if (!Files.exists(checkpoint)) {
			return 0;
		}
		Properties properties = new Properties();
		try (var reader = Files.newBufferedReader(checkpoint)) {
			properties.load(reader);
		}
		catch (Exception ex) {
			return 0;
		}
		return Long.parseLong(properties.getProperty("scanned", "0"));
	}

	private static Map<String, byte[]> load(List<byte[]> corpus, String prefix) {
		Map<String, byte[]> values = new HashMap<>();
		RedisCommands<byte[], byte[]> commands = redis.commands();
		for (int i = 0; i < corpus.size(); i++) {
			String key = prefix + i;
			commands.set(bytes(key), corpus.get(i));
			if (i % 3 == 0) {
				commands.expire(bytes(key), 1000 + i);
			}
			values.put(key, corpus.get(i));
		}
		return values;
	}

	private static Map<String, Long> ttls(Iterable<String> keys) {
		Map<String, Long> ttls = new HashMap<>();
		for (String key : keys) {
			ttls.put(key, redis.commands().pttl(bytes(key)));
		}
		return ttls;
	}

	/** Each TTL is what it was, less the time that passed: never reset, never lost. */
	private static void assertTtlsKept(Map<String, Long> before, long since) {
		long elapsed = System.currentTimeMillis() - since;
		Map<String, Long> after = ttls(before.keySet());
		before.forEach((key, ttl) -> {
			long now = after.get(key);
			if (ttl == -1) {
				assertThat(now).as(key).isEqualTo(-1);
			}
			else {
				assertThat(now).as(key).isBetween(ttl - elapsed - 1000, ttl);
			}
		});
	}

}
