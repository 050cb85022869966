package io.github.compressredis.embedded;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.lettuce.core.RedisException;
import org.jspecify.annotations.Nullable;

/**
 * A Sentinel setup of real {@code redis-server} processes on 127.0.0.1: one master, one
 * replica and three Sentinels monitoring them with a quorum of two; closing it stops
 * every process. Three Sentinels are the smallest group that elects a failover leader by
 * majority with one of them away, which is what Redis documents as the minimal
 * deployment; Spring Boot, Lettuce and Jedis need only one reachable Sentinel to find the
 * master. Every wait (start, {@link #failover()}) polls within a bound.
 *
 * @author compress-redis contributors
 */
public final class RedisSentinelProcess implements AutoCloseable {

	/** Master name the Sentinels monitor unless another is given. */
	public static final String DEFAULT_MASTER_NAME = "mymaster";

	/** Time the Sentinels get to agree on the master, at start and after a failover. */
	public static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(60);

	private static final int SENTINELS = 3;

	private static final int QUORUM = 2;

	private final String masterName;

	private final List<RedisServerProcess> dataNodes;

	private final List<RedisServerProcess> sentinels;

	private RedisSentinelProcess(String masterName, List<RedisServerProcess> dataNodes,
			List<RedisServerProcess> sentinels) {
		this.masterName = masterName;
		this.dataNodes = List.copyOf(dataNodes);
		this.sentinels = List.copyOf(sentinels);
	}

	/**
	 * Starts a master, its replica and three Sentinels monitoring them as
	 * {@value #DEFAULT_MASTER_NAME}, and waits until every Sentinel knows the master, the
	 * replica and the two other Sentinels.
	 * @return the running setup
	 * @throws IllegalStateException if a process cannot start or the Sentinels do not
	 * agree within {@link #AGREEMENT_TIMEOUT}
	 */
	public static RedisSentinelProcess start() {
		return start(DEFAULT_MASTER_NAME, null);
	}

	/**
	 * Starts a Sentinel setup like {@link #start()}, with a given master name and
	 * {@code redis-server} executable.
	 * @param masterName the name the Sentinels monitor the master as
	 * @param binary the executable of every process, or {@code null} for
	 * {@link RedisServerBinary#resolve()}
	 * @return the running setup
	 * @throws IllegalStateException if a process cannot start or the Sentinels do not
	 * agree within {@link #AGREEMENT_TIMEOUT}
	 */
	public static RedisSentinelProcess start(String masterName, @Nullable Path binary) {
		Objects.requireNonNull(masterName, "'masterName' must not be null");
		if (!masterName.matches("[A-Za-z0-9._-]+")) {
			throw new IllegalArgumentException(
					"'masterName' must consist of letters, digits, '.', '_' or '-' but was '" + masterName + "'");
		}
		List<RedisServerProcess> started = new ArrayList<>();
		try {
			RedisServerProcess master = dataNode(binary).start();
			started.add(master);
			RedisServerProcess replica = builder(binary)
				.args("--replicaof", master.host(), Integer.toString(master.port()))
				.start();
			started.add(replica);
			String config = "sentinel monitor " + masterName + " " + master.host() + " " + master.port() + " " + QUORUM
					+ "\n"
					// long enough that a loaded machine does not fail over by itself;
					// failover() forces one
					+ "sentinel down-after-milliseconds " + masterName + " 10000\n" + "sentinel failover-timeout "
					+ masterName + " 20000\n" + "sentinel parallel-syncs " + masterName + " 1\n";
			List<RedisServerProcess> sentinels = new ArrayList<>(SENTINELS);
			for (int i = 0; i < SENTINELS; i++) {
				RedisServerProcess sentinel = builder(binary).sentinel(config).start();
				started.add(sentinel);
				sentinels.add(sentinel);
			}
			RedisSentinelProcess setup = new RedisSentinelProcess(masterName, List.of(master, replica), sentinels);
			setup.awaitAgreement(master, replica);
			return setup;
		}
		catch (RuntimeException ex) {
			RedisServerProcess.closeAll(started, ex);
			throw ex;
		}
	}

	/**
	 * A data node syncs a replica at once: Redis 7 (as Debian ships it) syncs diskless
	 * and would wait 5 s for more replicas first, at start and after every failover.
	 * @param binary the executable, or {@code null}
	 * @return the builder of a data node
	 */
	private static RedisServerProcess.Builder dataNode(@Nullable Path binary) {
		return builder(binary).config("repl-diskless-sync-delay", "0");
	}

	private static RedisServerProcess.Builder builder(@Nullable Path binary) {
		return RedisServerProcess.builder().binaryOrResolved(binary);
	}

	/**
	 * Returns the name the Sentinels monitor the master as, for
	 * {@code spring.data.redis.sentinel.master}.
	 * @return the master name
	 */
	public String masterName() {
		return this.masterName;
	}

	/**
	 * Returns the Sentinels as {@code host:port}, for
	 * {@code spring.data.redis.sentinel.nodes}.
	 * @return for example
	 * {@code ["127.0.0.1:40001", "127.0.0.1:40002", "127.0.0.1:40003"]}
	 */
	public List<String> sentinelNodes() {
		return this.sentinels.stream().map(RedisServerProcess::address).toList();
	}

	/**
	 * Returns the Sentinel processes.
	 * @return the Sentinels, in start order
	 */
	public List<RedisServerProcess> sentinels() {
		return this.sentinels;
	}

	/**
	 * Returns the data nodes: the master at start, then its replica.
	 * @return the data nodes, in start order
	 */
	public List<RedisServerProcess> dataNodes() {
		return this.dataNodes;
	}

	/**
	 * Returns the data node the first Sentinel names as master right now.
	 * @return the master
	 * @throws IllegalStateException if the Sentinel names no data node of this setup
	 */
	public RedisServerProcess master() {
		String address = masterAddress(this.sentinels.get(0));
		return this.dataNodes.stream()
			.filter((node) -> node.address().equals(address))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Sentinel " + this.sentinels.get(0).address() + " names "
					+ address + " as master of '" + this.masterName + "', which is none of " + this.dataNodes));
	}

	/**
	 * Returns the data node that is not the {@link #master()}.
	 * @return the replica
	 */
	public RedisServerProcess replica() {
		RedisServerProcess master = master();
		return this.dataNodes.stream().filter((node) -> node != master).findFirst().orElseThrow();
	}

	/**
	 * Promotes the replica with {@code SENTINEL FAILOVER} and waits until every Sentinel
	 * names it as master and the former master replicates from it. Before, it waits until
	 * the replica has everything the master acknowledged, so no write is lost.
	 * @return the new master
	 * @throws IllegalStateException if the failover does not complete within
	 * {@link #AGREEMENT_TIMEOUT}
	 */
	public RedisServerProcess failover() {
		RedisServerProcess oldMaster = master();
		RedisServerProcess promoted = replica();
		long deadline = System.nanoTime() + AGREEMENT_TIMEOUT.toNanos();
		long offset = Long.parseLong(replicationField(oldMaster, "master_repl_offset"));
		await(deadline, "the replica " + promoted.address() + " to reach replication offset " + offset, () -> {
			long replicated = Long.parseLong(replicationField(promoted, "slave_repl_offset"));
			return (replicated >= offset) ? null : "it is at " + replicated;
		});
		await(deadline, "Sentinel " + this.sentinels.get(0).address() + " to start a failover", () -> {
			try {
				this.sentinels.get(0).command("SENTINEL", "FAILOVER", this.masterName);
				return null;
			}
			catch (RedisException ex) {
				// NOGOODSLAVE while the Sentinel's view of the replica is not fresh
				return ex.getMessage();
			}
		});
		// the Sentinels see the former master as a healthy replica only after their next
		// INFO round (every 10 s); SENTINEL FAILOVER is retried above until they do
		await(deadline, "the Sentinels of '" + this.masterName + "' to fail over to " + promoted.address(),
				() -> agreementProblem(promoted, oldMaster, false));
		return promoted;
	}

	/**
	 * Returns the {@code redis-server} version of the data nodes.
	 * @return for example {@code "7.0.15"}
	 */
	public String version() {
		return this.dataNodes.get(0).version();
	}

	/**
	 * Stops every process and deletes their temporary directories; calling it again does
	 * nothing.
	 */
	@Override
	public void close() {
		List<RedisServerProcess> all = new ArrayList<>(this.sentinels);
		all.addAll(this.dataNodes);
		RuntimeException failure = RedisServerProcess.closeAll(all, null);
		if (failure != null) {
			throw failure;
		}
	}

	@Override
	public String toString() {
		return "RedisSentinelProcess[" + this.masterName + ", data "
				+ this.dataNodes.stream().map(RedisServerProcess::address).toList() + ", sentinels " + sentinelNodes()
				+ "]";
	}

	private void awaitAgreement(RedisServerProcess master, RedisServerProcess replica) {
		await(System.nanoTime() + AGREEMENT_TIMEOUT.toNanos(), "the Sentinels of '" + this.masterName
				+ "' to agree on master " + master.address() + " with replica " + replica.address(),
				() -> agreementProblem(master, replica, true));
	}

	/**
	 * Tells what is missing before the replica replicates from the master, and every
	 * Sentinel names the master, knows the other Sentinels and (if asked) sees the
	 * replica healthy.
	 * @param master the expected master
	 * @param replica the expected replica
	 * @param sentinelsSeeReplica whether every Sentinel must list the replica as healthy
	 * @return what is missing, or {@code null} once nothing is
	 */
	private @Nullable String agreementProblem(RedisServerProcess master, RedisServerProcess replica,
			boolean sentinelsSeeReplica) {
		if (!"master".equals(replicationField(master, "role"))) {
			return master.address() + " is not a master yet";
		}
		if (!"slave".equals(replicationField(replica, "role"))
				|| !Integer.toString(master.port()).equals(replicationField(replica, "master_port"))
				|| !"up".equals(replicationField(replica, "master_link_status"))) {
			return replica.address() + " does not replicate from " + master.address() + " yet";
		}
		for (RedisServerProcess sentinel : this.sentinels) {
			String named = masterAddress(sentinel);
			if (!master.address().equals(named)) {
				return "Sentinel " + sentinel.address() + " names " + named;
			}
			boolean replicaHealthy = !sentinelsSeeReplica;
			for (Map<String, String> known : fields(sentinel.command("SENTINEL", "REPLICAS", this.masterName))) {
				if (replica.host().equals(known.get("ip")) && Integer.toString(replica.port()).equals(known.get("port"))
						&& "slave".equals(known.get("flags")) && "ok".equals(known.get("master-link-status"))) {
					replicaHealthy = true;
				}
			}
			if (!replicaHealthy) {
				return "Sentinel " + sentinel.address() + " does not see " + replica.address()
						+ " as a healthy replica";
			}
			int others = fields(sentinel.command("SENTINEL", "SENTINELS", this.masterName)).size();
			if (others != SENTINELS - 1) {
				return "Sentinel " + sentinel.address() + " knows " + others + " of " + (SENTINELS - 1)
						+ " other Sentinels";
			}
		}
		return null;
	}

	private String masterAddress(RedisServerProcess sentinel) {
		Object reply = sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.masterName);
		if (reply instanceof List<?> hostAndPort && hostAndPort.size() == 2) {
			return text(hostAndPort.get(0)) + ":" + text(hostAndPort.get(1));
		}
		return "no master";
	}

	private static String replicationField(RedisServerProcess node, String name) {
		return RedisServerProcess.infoField(Objects.requireNonNull(node.commandString("INFO", "replication")), name);
	}

	/**
	 * Reads a RESP2 array of flat {@code name, value, ...} arrays as maps.
	 * @param reply the reply
	 * @return one map per entry
	 */
	private static List<Map<String, String>> fields(@Nullable Object reply) {
		List<Map<String, String>> entries = new ArrayList<>();
		if (reply instanceof List<?> list) {
			for (Object entry : list) {
				if (entry instanceof List<?> flat) {
					Map<String, String> map = new HashMap<>();
					for (int i = 0; i + 1 < flat.size(); i += 2) {
						map.put(text(flat.get(i)), text(flat.get(i + 1)));
					}
					entries.add(map);
				}
			}
		}
		return entries;
	}

	private static String text(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	/**
	 * Polls {@code check} every 100 ms until it reports no problem, failing with the last
	 * problem once the deadline has passed.
	 * @param deadline the {@link System#nanoTime()} to give up at
	 * @param what what is awaited, for the failure message
	 * @param check the check, answering the problem or {@code null}
	 */
	private void await(long deadline, String what, Check check) {
		String problem = "not checked yet";
		while (true) {
			try {
				problem = check.problem();
			}
			catch (RedisException ex) {
				problem = ex.getMessage();
			}
			if (problem == null) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Waited " + AGREEMENT_TIMEOUT.toSeconds() + " s for " + what + " in "
						+ this + ", in vain: " + problem);
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + what, ex);
			}
		}
	}

	@FunctionalInterface
	private interface Check {

		@Nullable String problem();

	}

}
