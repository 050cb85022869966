package io.github.compressredis.core.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.compressredis.embedded.RedisClusterProcess;
import io.github.compressredis.embedded.RedisServerProcess;
import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the bytes Redis holds, with no serializer in between, on a standalone
 * server or on the node of a cluster that owns a key.
 */
final class RawRedis implements AutoCloseable {

	private final List<RedisServerProcess> servers;

	private final @Nullable RedisClusterProcess cluster;

	private RawRedis(List<RedisServerProcess> servers, @Nullable RedisClusterProcess cluster) {
		this.servers = List.copyOf(servers);
		this.cluster = cluster;
	}

	static RawRedis standalone(RedisServerProcess server) {
		return new RawRedis(List.of(server), null);
	}

	static RawRedis cluster(RedisClusterProcess cluster) {
		return new RawRedis(cluster.servers(), cluster);
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return the server that holds a key: the only one, or the cluster node owning the
	 * key's slot.
	 */
	RedisServerProcess nodeFor(byte[] key) {
		return (this.cluster != null) ? this.cluster.serverForSlot(SlotHash.getSlot(key)) : this.servers.get(0);
	}

	/**
	 * Run a command on the server that holds {@code key}.
	 */
	@Nullable Object on(byte[] key, Object... args) {
		return nodeFor(key).command(args);
	}

	byte @Nullable [] get(String key) {
		byte[] raw = utf8(key);
		return (byte[]) on(raw, "GET", raw);
	}

	void set(String key, byte[] value) {
		byte[] raw = utf8(key);
		on(raw, "SET", raw, value);
	}

	byte @Nullable [] hget(String key, String field) {
		byte[] raw = utf8(key);
		return (byte[]) on(raw, "HGET", raw, utf8(field));
	}

	void hset(String key, String field, byte[] value) {
		byte[] raw = utf8(key);
		on(raw, "HSET", raw, utf8(field), value);
	}

	List<byte[]> hkeys(String key) {
		byte[] raw = utf8(key);
		List<byte[]> fields = new ArrayList<>();
		for (Object field : (List<?>) on(raw, "HKEYS", raw)) {
			fields.add((byte[]) field);
		}
		return fields;
	}

	/**
	 * Return how many keys exist, counted on the server that holds the first one.
	 */
	long exists(byte[]... keys) {
		Object[] args = new Object[keys.length + 1];
		args[0] = "EXISTS";
		System.arraycopy(keys, 0, args, 1, keys.length);
		return (Long) on(keys[0], args);
	}

	/**
	 * Return the number of keys on every server together.
	 */
	long dbSize() {
		long total = 0;
		for (RedisServerProcess server : this.servers) {
			total += (Long) server.command("DBSIZE");
		}
		return total;
	}

	void flushAll() {
		for (RedisServerProcess server : this.servers) {
			server.command("FLUSHALL");
		}
	}

	/**
	 * Nothing to release: the servers keep their own connections.
	 */
	@Override
	public void close() {
	}

}
