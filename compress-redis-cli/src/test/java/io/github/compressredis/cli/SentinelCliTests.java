package io.github.compressredis.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.embedded.RedisServerBinary;
import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.testsupport.corpus.Corpus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.compressredis.cli.Redis.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code redis-sentinel://} URI: the commands find the master through a real Sentinel.
 */
class SentinelCliTests {

	private static final ValueCompressor READER = InspectCommandTests.compressor(Algorithm.NONE, 0);

	@TempDir
	Path temp;

	@Test
	void commandsReachTheMasterASentinelNames() throws Exception {
		try (RedisServerProcess master = RedisServerProcess.start();
				Redis redis = new Redis(master.host(), master.port())) {
			List<byte[]> values = Corpus.values("mdn-bcd.jsonl").subList(0, 40);
			for (int i = 0; i < values.size(); i++) {
				redis.commands().set(bytes("feature:" + i), values.get(i));
			}
			int port = freePort();
			Path config = this.temp.resolve("sentinel.conf");
			Files.writeString(config, "bind 127.0.0.1\nport " + port + "\ndir " + this.temp
					+ "\nsentinel monitor mymaster " + master.host() + " " + master.port() + " 1\n");
			Process sentinel = new ProcessBuilder(RedisServerBinary.resolve().toString(), config.toString(),
					"--sentinel")
				.redirectErrorStream(true)
				.redirectOutput(this.temp.resolve("sentinel.log").toFile())
				.start();
			try {
				String uri = "redis-sentinel://" + master.host() + ":" + port + "#mymaster";
				await().atMost(Duration.ofSeconds(30)).until(() -> reachable(uri));
				Cli migrate = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--quiet");
				assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
				assertThat(migrate.out()).contains("scanned 40");
				assertThat(WireFormat.isFramed(redis.commands().get(bytes("feature:3")))).isTrue();
				assertThat(READER.decompress(redis.commands().get(bytes("feature:3")))).isEqualTo(values.get(3));
				Cli inspect = Cli.run("inspect", "--uri", uri, "--raw", "feature:3");
				assertThat(inspect.stdout()).isEqualTo(values.get(3));
			}
			finally {
				sentinel.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	private static boolean reachable(String uri) {
		RedisClient client = RedisClient.create();
		try {
			client.connect(RedisURI.create(uri)).close();
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
		finally {
			client.shutdown();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
