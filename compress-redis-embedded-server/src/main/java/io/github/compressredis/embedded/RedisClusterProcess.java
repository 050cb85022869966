package io.github.compressredis.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;

/**
 * A Redis Cluster of real {@code redis-server} masters (no replicas) on 127.0.0.1, formed
 * with Lettuce's cluster commands; closing it stops every node. The slot of a key is
 * Lettuce's {@link SlotHash#getSlot(byte[])}.
 *
 * @author compress-redis contributors
 */
public final class RedisClusterProcess implements AutoCloseable {

	/** Default time the cluster gets to report {@code cluster_state:ok} on every node. */
	public static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);

	private final List<RedisServerProcess> servers;

	private RedisClusterProcess(List<RedisServerProcess> servers) {
		this.servers = List.copyOf(servers);
	}

	/**
	 * Starts {@code masters} nodes on free ports (each with a free cluster bus port),
	 * assigns the 16384 slots evenly and waits until every node sees a healthy cluster.
	 * @param masters the number of masters, at least 3
	 * @return the running cluster
	 * @throws IllegalStateException if a node cannot start or the cluster does not form
	 * within 30 s
	 */
	public static RedisClusterProcess start(int masters) {
		return start(masters, null);
	}

	/**
	 * Starts a cluster like {@link #start(int)}, running a given {@code redis-server}.
	 * @param masters the number of masters, at least 3
	 * @param binary the executable of every node, or {@code null} for
	 * {@link RedisServerBinary#resolve()}
	 * @return the running cluster
	 * @throws IllegalStateException if a node cannot start or the cluster does not form
	 * within 30 s
	 */
	public static RedisClusterProcess start(int masters, @Nullable Path binary) {
		if (masters < 3) {
			throw new IllegalArgumentException("'masters' must be at least 3 but was " + masters);
		}
		if (masters > SlotHash.SLOT_COUNT) {
			throw new IllegalArgumentException("'masters' must be at most 16384 but was " + masters);
		}
		List<RedisServerProcess> servers = new ArrayList<>(masters);
		try {
			for (int i = 0; i < masters; i++) {
				servers.add(RedisServerProcess.builder()
					.binaryOrResolved(binary)
					.clusterBus()
					.args("--cluster-enabled", "yes", "--cluster-node-timeout", "5000")
					.portArgs((port) -> List.of("--cluster-config-file", "nodes-" + port + ".conf"))
					.start());
			}
			RedisClusterProcess cluster = new RedisClusterProcess(servers);
			cluster.form();
			return cluster;
		}
		catch (RuntimeException ex) {
			RedisServerProcess.closeAll(servers, ex);
			throw ex;
		}
	}

	/**
	 * Returns the nodes as {@code host:port}, in start order.
	 * @return for example
	 * {@code ["127.0.0.1:40001", "127.0.0.1:40002", "127.0.0.1:40003"]}
	 */
	public List<String> nodes() {
		return this.servers.stream().map(RedisServerProcess::address).toList();
	}

	/**
	 * Returns the client ports of the nodes, in start order.
	 * @return the ports
	 */
	public List<Integer> ports() {
		return this.servers.stream().map(RedisServerProcess::port).toList();
	}

	/**
	 * Returns the node processes, in start order.
	 * @return the servers
	 */
	public List<RedisServerProcess> servers() {
		return this.servers;
	}

	/**
	 * Returns the node that owns a slot according to the even split made at start.
	 * @param slot a slot in {@code [0, 16384)}
	 * @return the owning server
	 */
	public RedisServerProcess serverForSlot(int slot) {
		if (slot < 0 || slot >= SlotHash.SLOT_COUNT) {
			throw new IllegalArgumentException("'slot' must be between 0 and 16383 but was " + slot);
		}
		int n = this.servers.size();
		for (int i = 0; i < n; i++) {
			if (slot < firstSlot(i + 1, n)) {
				return this.servers.get(i);
			}
		}
		return this.servers.get(n - 1);
	}

	/**
	 * Stops every node and deletes their temporary directories; calling it again does
	 * nothing.
	 */
	@Override
	public void close() {
		RuntimeException failure = RedisServerProcess.closeAll(this.servers, null);
		if (failure != null) {
			throw failure;
		}
	}

	@Override
	public String toString() {
		return "RedisClusterProcess" + nodes();
	}

	private static int firstSlot(int index, int nodes) {
		return (int) ((long) index * SlotHash.SLOT_COUNT / nodes);
	}

	private void form() {
		int n = this.servers.size();
		for (int i = 0; i < n; i++) {
			int from = firstSlot(i, n);
			int to = firstSlot(i + 1, n);
			int[] slots = new int[to - from];
			for (int slot = from; slot < to; slot++) {
				slots[slot - from] = slot;
			}
			try (StatefulRedisConnection<byte[], byte[]> connection = this.servers.get(i).connect()) {
				connection.sync().clusterAddSlots(slots);
			}
		}
		RedisServerProcess first = this.servers.get(0);
		for (int i = 1; i < n; i++) {
			try (StatefulRedisConnection<byte[], byte[]> connection = this.servers.get(i).connect()) {
				connection.sync().clusterMeet(first.host(), first.port());
			}
		}
		awaitHealthy(n);
	}

	private void awaitHealthy(int n) {
		long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
		while (true) {
			String problem = healthProblem(n);
			if (problem == null) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Redis Cluster " + nodes() + " did not form within "
						+ FORMATION_TIMEOUT.toSeconds() + " s: " + problem);
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for Redis Cluster " + nodes(), ex);
			}
		}
	}

	private @Nullable String healthProblem(int n) {
		for (RedisServerProcess server : this.servers) {
			try (StatefulRedisConnection<byte[], byte[]> connection = server.connect()) {
				RedisCommands<byte[], byte[]> commands = connection.sync();
				String info = commands.clusterInfo();
				if (info == null || !info.contains("cluster_state:ok\r\n")) {
					return server.address() + " does not report cluster_state:ok";
				}
				if (!info.contains("cluster_known_nodes:" + n + "\r\n")) {
					return server.address() + " does not know all " + n + " nodes";
				}
				List<Object> slots = commands.clusterSlots();
				int covered = coveredSlots(slots);
				if (covered != SlotHash.SLOT_COUNT) {
					return server.address() + " sees " + covered + " of 16384 slots covered";
				}
			}
			catch (RuntimeException ex) {
				return server.address() + ": " + ex.getMessage();
			}
		}
		return null;
	}

	private static int coveredSlots(@Nullable Object slotsReply) {
		BitSet covered = new BitSet(SlotHash.SLOT_COUNT);
		if (slotsReply instanceof List<?> ranges) {
			for (Object range : ranges) {
				if (range instanceof List<?> fields && fields.size() >= 3 && fields.get(0) instanceof Long start
						&& fields.get(1) instanceof Long end) {
					covered.set(start.intValue(), end.intValue() + 1);
				}
			}
		}
		return covered.cardinality();
	}

}
