package io.github.compressredis.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.embedded.RedisClusterProcess;
import io.github.compressredis.testsupport.corpus.Corpus;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.github.compressredis.cli.Redis.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code advise}, {@code migrate} and {@code inspect} on a real 3-master cluster: every
 * master is visited, and the rollback restores every value byte for byte.
 */
class ClusterCliTests {

	private static final ValueCompressor READER = InspectCommandTests.compressor(Algorithm.NONE, 0);

	private static RedisClusterProcess cluster;

	private static RedisClusterClient client;

	private static StatefulRedisClusterConnection<byte[], byte[]> connection;

	private static String uri;

	@BeforeAll
	static void start() {
		cluster = RedisClusterProcess.start(3);
		String first = cluster.nodes().get(0);
		uri = "redis://" + first;
		client = RedisClusterClient.create(RedisURI.create(uri));
		connection = client.connect(ByteArrayCodec.INSTANCE);
	}

	@AfterAll
	static void stop() {
		connection.close();
		client.shutdown();
		cluster.close();
	}

	@Test
	void everyMasterIsAdvisedMigratedAndRolledBack() throws Exception {
		RedisAdvancedClusterCommands<byte[], byte[]> commands = connection.sync();
		List<byte[]> corpus = Corpus.values("mdn-bcd.jsonl").subList(0, 300);
		Map<String, byte[]> values = new LinkedHashMap<>();
		for (int i = 0; i < corpus.size(); i++) {
			String key = "feature:" + i + ":tree";
			commands.set(bytes(key), corpus.get(i));
			if (i % 2 == 0) {
				commands.expire(bytes(key), 2000);
			}
			values.put(key, corpus.get(i));
		}
		Cli advise = Cli.run("advise", "--uri", uri, "--cluster", "--json", "--quiet");
		assertThat(advise.exitCode()).as(advise.toString()).isZero();
		JsonNode json = JsonMapper.builder().build().readTree(advise.out());
		assertThat(json.get("totalKeys").asLong()).isEqualTo(300);
		assertThat(json.get("sampledKeys").asLong()).isEqualTo(300);
		assertThat(json.get("patterns").get(0).get("pattern").asString()).isEqualTo("feature:*:tree");
		Cli migrate = Cli.run("migrate", "--uri", uri, "--cluster", "--to", "zstd:3", "--verify", "--quiet");
		assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
		assertThat(migrate.out()).contains("(3 masters)").contains("scanned 300").contains("failed 0");
		for (Map.Entry<String, byte[]> entry : values.entrySet()) {
			byte[] stored = commands.get(bytes(entry.getKey()));
			assertThat(READER.decompress(stored)).isEqualTo(entry.getValue());
		}
		assertThat(values.keySet().stream().filter((key) -> WireFormat.isFramed(commands.get(bytes(key)))).count())
			.isGreaterThan(250);
		Cli inspect = Cli.run("inspect", "--uri", uri, "--cluster", "--raw", "feature:7:tree");
		assertThat(inspect.stdout()).isEqualTo(values.get("feature:7:tree"));
		Cli rollback = Cli.run("migrate", "--uri", uri, "--cluster", "--to", "plain", "--quiet");
		assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
		for (Map.Entry<String, byte[]> entry : values.entrySet()) {
			assertThat(commands.get(bytes(entry.getKey()))).isEqualTo(entry.getValue());
			long ttl = commands.ttl(bytes(entry.getKey()));
			if (Integer.parseInt(entry.getKey().split(":")[1]) % 2 == 0) {
				assertThat(ttl).isBetween(1L, 2000L);
			}
			else {
				assertThat(ttl).isEqualTo(-1);
			}
		}
	}

	@Test
	void membersCompressedBy010AreMadePlainOnEveryMaster() {
		RedisAdvancedClusterCommands<byte[], byte[]> commands = connection.sync();
		List<byte[]> keys = new java.util.ArrayList<>();
		try {
			for (int k = 0; k < 30; k++) {
				byte[] key = bytes("tags:" + k);
				keys.add(key);
				for (int i = 0; i < 3; i++) {
					commands.sadd(key, MigrateMembersTests.framed(MigrateMembersTests.member(i)));
				}
			}
			Cli migrate = Cli.run("migrate", "--uri", uri, "--cluster", "--match", "tags:*", "--to", "plain",
					"--quiet");
			assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
			assertThat(migrate.out()).contains("(3 masters)")
				.contains("scanned 30, changed 30")
				.contains("members: 90");
			for (byte[] key : keys) {
				assertThat(commands.scard(key)).isEqualTo(3);
				for (int i = 0; i < 3; i++) {
					assertThat(commands.sismember(key, MigrateMembersTests.member(i))).isTrue();
				}
			}
		}
		finally {
			commands.del(keys.toArray(new byte[0][]));
		}
	}

}
