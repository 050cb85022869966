package io.github.compressredis.embedded;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Timeout(180)
class RedisSentinelProcessTests {

	@Test
	void threeSentinelsAgreeOnTheMasterAndAClientFindsIt() {
		try (RedisSentinelProcess setup = RedisSentinelProcess.start()) {
			assertThat(setup.masterName()).isEqualTo("mymaster");
			assertThat(setup.sentinelNodes()).hasSize(3)
				.doesNotHaveDuplicates()
				.allMatch((node) -> node.startsWith("127.0.0.1:"));
			RedisServerProcess master = setup.dataNodes().get(0);
			assertThat(setup.master()).isSameAs(master);
			assertThat(setup.replica()).isSameAs(setup.dataNodes().get(1));
			assertThat(setup.version()).isEqualTo(master.version()).isNotEmpty();
			for (RedisServerProcess sentinel : setup.sentinels()) {
				assertThat(sentinel.commandString("INFO", "server")).contains("redis_mode:sentinel");
				assertThat(sentinel.commandString("INFO", "sentinel")).contains("sentinels=3");
			}
			byte[] key = bytes("through-sentinel");
			throughSentinel(setup, (commands) -> commands.set(key, bytes("value")));
			assertThat(master.command("GET", key)).isEqualTo(bytes("value"));
			assertThat(setup.replica().commandString("INFO", "replication")).contains("role:slave")
				.contains("master_port:" + master.port());
		}
	}

	@Test
	void failoverPromotesTheReplicaKeepsTheDataAndClientsFollow() {
		List<RedisServerProcess> all = new ArrayList<>();
		try (RedisSentinelProcess setup = RedisSentinelProcess.start()) {
			all.addAll(setup.dataNodes());
			all.addAll(setup.sentinels());
			RedisServerProcess oldMaster = setup.master();
			RedisServerProcess oldReplica = setup.replica();
			oldMaster.command("SET", "before", "1");
			RedisServerProcess newMaster = setup.failover();
			assertThat(newMaster).isSameAs(oldReplica);
			assertThat(setup.master()).isSameAs(newMaster);
			assertThat(setup.replica()).isSameAs(oldMaster);
			for (RedisServerProcess sentinel : setup.sentinels()) {
				Object named = sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
				assertThat(named).asList().last().isEqualTo(bytes(Integer.toString(newMaster.port())));
			}
			assertThat(newMaster.commandString("INFO", "replication")).contains("role:master");
			assertThat(oldMaster.commandString("INFO", "replication")).contains("role:slave")
				.contains("master_port:" + newMaster.port());
			throughSentinel(setup, (commands) -> {
				assertThat(commands.get(bytes("before"))).isEqualTo(bytes("1"));
				commands.set(bytes("after"), bytes("2"));
			});
			assertThat(newMaster.command("GET", "after")).isEqualTo(bytes("2"));
		}
		assertThat(all).hasSize(5).noneMatch(RedisServerProcess::isRunning);
	}

	@Test
	void aMasterNameSentinelCannotParseIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisSentinelProcess.start("my master", null))
			.withMessageContaining("'masterName'");
	}

	/** Runs commands on the master as Lettuce finds it through the Sentinels. */
	private static void throughSentinel(RedisSentinelProcess setup, Consumer<RedisCommands<byte[], byte[]>> action) {
		RedisURI.Builder uri = RedisURI.builder();
		for (RedisServerProcess sentinel : setup.sentinels()) {
			uri.withSentinel(sentinel.host(), sentinel.port());
		}
		RedisClient client = RedisClient.create();
		try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE,
				uri.withSentinelMasterId(setup.masterName()).build())) {
			action.accept(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
