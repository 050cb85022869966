package io.github.compressredis.embedded;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Timeout(60)
class RedisClusterProcessTests {

	private static RedisClusterProcess cluster;

	@BeforeAll
	static void startCluster() {
		cluster = RedisClusterProcess.start(3);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
			cluster.close();
			assertThat(cluster.servers()).noneMatch(RedisServerProcess::isRunning);
		}
	}

	@Test
	void threeMastersFormAHealthyCluster() {
		assertThat(cluster.ports()).hasSize(3).doesNotHaveDuplicates().allMatch((port) -> port < 55535);
		assertThat(cluster.nodes())
			.containsExactlyElementsOf(cluster.ports().stream().map((port) -> "127.0.0.1:" + port).toList());
		for (RedisServerProcess server : cluster.servers()) {
			assertThat(server.commandString("CLUSTER", "INFO")).contains("cluster_state:ok")
				.contains("cluster_known_nodes:3")
				.contains("cluster_slots_assigned:16384")
				.contains("cluster_size:3");
			assertThat(server.directory().resolve("nodes-" + server.port() + ".conf")).isRegularFile();
		}
	}

	@Test
	void ourSlotOfAKeyAgreesWithTheServer() {
		RedisServerProcess server = cluster.servers().get(0);
		for (String key : List.of("foo", "user:1", "{user1000}.following", "foo{}{bar}", "foo{{bar}}zap", "é€")) {
			assertThat(server.command("CLUSTER", "KEYSLOT", key)).as(key).isEqualTo((long) SlotHash.getSlot(key));
		}
	}

	@Test
	void aKeyIsStoredOnTheNodeOwningItsSlotAndAWrongNodeAnswersMoved() {
		byte[] key = "compress:{order-42}:payload".getBytes(StandardCharsets.UTF_8);
		byte[] value = { 1, 2, 3, 0, (byte) 0xFE };
		int slot = SlotHash.getSlot(key);
		RedisServerProcess owner = cluster.serverForSlot(slot);
		assertThat(owner.commandString("SET", key, value)).isEqualTo("OK");
		assertThat((byte[]) owner.command("GET", key)).isEqualTo(value);
		RedisServerProcess other = cluster.servers()
			.stream()
			.filter((server) -> server != owner)
			.findFirst()
			.orElseThrow();
		assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> other.command("GET", key))
			.withMessage("MOVED " + slot + " " + owner.address());
	}

}
