package io.github.compressredis.core.dictionary;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Keeps dictionaries in Redis itself, with raw bytes (never through a compressing serializer):
 * <ul>
 * <li>{@code <prefix><id>}: the dictionary, written once with {@code SET NX} and never changed;</li>
 * <li>{@code <prefix>seq}: the last allocated id ({@code INCR});</li>
 * <li>{@code <prefix>current:<target>}: the id a target's writers use.</li>
 * </ul>
 * Every operation touches a single key, so it works on a cluster whatever the slots. Keys carry
 * no TTL; compress-redis never deletes a dictionary (see the retention rule in the README).
 */
public final class RedisDictionaryStore implements DictionaryStore {

	/** The default key prefix. */
	public static final String DEFAULT_PREFIX = "compress-redis:dict:";

	private final RedisConnectionFactory connectionFactory;

	private final String prefix;

	public RedisDictionaryStore(RedisConnectionFactory connectionFactory) {
		this(connectionFactory, DEFAULT_PREFIX);
	}

	public RedisDictionaryStore(RedisConnectionFactory connectionFactory, String prefix) {
		this.connectionFactory = Objects.requireNonNull(connectionFactory, "'connectionFactory' must not be null");
		this.prefix = Objects.requireNonNull(prefix, "'prefix' must not be null");
	}

	public String getPrefix() {
		return this.prefix;
	}

	@Override
	public @Nullable Dictionary find(int id) {
		byte[] stored;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			stored = connection.stringCommands().get(key(dictionaryKey(id)));
		}
		return (stored != null) ? Dictionary.decode(id, stored) : null;
	}

	@Override
	public int allocateId() {
		Long id;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			id = connection.stringCommands().incr(key(this.prefix + "seq"));
		}
		if (id == null || id <= 0 || id > Integer.MAX_VALUE) {
			throw new IllegalStateException("Cannot allocate a dictionary id: INCR " + this.prefix + "seq returned " + id);
		}
		return id.intValue();
	}

	@Override
	public boolean save(Dictionary dictionary) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Boolean saved = connection.stringCommands()
				.set(key(dictionaryKey(dictionary.id())), dictionary.encode(), Expiration.persistent(),
						SetOption.ifAbsent());
			return Boolean.TRUE.equals(saved);
		}
	}

	@Override
	public int currentId(String target) {
		byte[] stored;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			stored = connection.stringCommands().get(key(currentKey(target)));
		}
		if (stored == null) {
			return 0;
		}
		try {
			return Integer.parseInt(new String(stored, StandardCharsets.US_ASCII).trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalStateException("Redis key " + currentKey(target) + " should hold a dictionary id", ex);
		}
	}

	@Override
	public void setCurrent(String target, int id) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.stringCommands().set(key(currentKey(target)), key(Integer.toString(id)));
		}
	}

	@Override
	public String location(int id) {
		return "Redis key '" + dictionaryKey(id) + "'";
	}

	/**
	 * Return the key holding a dictionary.
	 * @param id the id
	 * @return the key
	 */
	public String dictionaryKey(int id) {
		return this.prefix + id;
	}

	/**
	 * Return the key holding a target's current dictionary id.
	 * @param target the target
	 * @return the key
	 */
	public String currentKey(String target) {
		return this.prefix + "current:" + target;
	}

	private static byte[] key(String key) {
		return key.getBytes(StandardCharsets.UTF_8);
	}

}
