package io.github.compressredis.cli;

import java.util.List;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.embedded.RedisSentinelProcess;
import io.github.compressredis.embedded.RedisServerProcess;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.junit.jupiter.api.Test;

import static io.github.compressredis.cli.Redis.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code redis-sentinel://} URI: the commands find the master through real Sentinels.
 */
class SentinelCliTests {

	private static final ValueCompressor READER = InspectCommandTests.compressor(Algorithm.NONE, 0);

	@Test
	void commandsReachTheMasterASentinelNames() throws Exception {
		try (RedisSentinelProcess sentinel = RedisSentinelProcess.start()) {
			RedisServerProcess master = sentinel.master();
			try (Redis redis = new Redis(master.host(), master.port())) {
				List<byte[]> values = Corpus.values("mdn-bcd.jsonl").subList(0, 40);
				for (int i = 0; i < values.size(); i++) {
					redis.commands().set(bytes("feature:" + i), values.get(i));
				}
				String uri = "redis-sentinel://" + String.join(",", sentinel.sentinelNodes()) + "#"
						+ sentinel.masterName();
				Cli migrate = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--quiet");
				assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
				assertThat(migrate.out()).contains("scanned 40");
				assertThat(WireFormat.isFramed(redis.commands().get(bytes("feature:3")))).isTrue();
				assertThat(READER.decompress(redis.commands().get(bytes("feature:3")))).isEqualTo(values.get(3));
				Cli inspect = Cli.run("inspect", "--uri", uri, "--raw", "feature:3");
				assertThat(inspect.stdout()).isEqualTo(values.get(3));
			}
		}
	}

}
