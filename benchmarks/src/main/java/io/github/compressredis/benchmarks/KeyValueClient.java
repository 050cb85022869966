package io.github.compressredis.benchmarks;

import java.util.List;

/**
 * A Redis client as the harnesses drive it: string keys, byte-array values, whatever the
 * client does to them on the way (compression included). Implementations must be safe for
 * use from several threads at once.
 *
 * @author compress-redis contributors
 */
interface KeyValueClient extends AutoCloseable {

	/**
	 * Store a value.
	 * @param key the key
	 * @param value the application's value
	 */
	void set(String key, byte[] value);

	/**
	 * Read a value back as the application would see it.
	 * @param key the key
	 * @return the value, or {@code null} if the key does not exist
	 */
	byte[] get(String key);

	/**
	 * Store many values, pipelined the way the client does it best.
	 * @param keys the keys
	 * @param values the values, one per key
	 */
	void load(String[] keys, List<byte[]> values);

	@Override
	void close();

}
