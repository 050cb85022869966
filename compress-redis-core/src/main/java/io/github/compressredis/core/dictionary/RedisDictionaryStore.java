package io.github.compressredis.core.dictionary;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Keeps dictionaries in Redis itself, with raw bytes (never through a compressing
 * serializer):
 * <ul>
 * <li>{@code <prefix><id>}: the dictionary, written once with {@code SET NX} and never
 * changed;</li>
 * <li>{@code <prefix>seq}: the last allocated id ({@code INCR}; raised, never lowered,
 * past an id found taken);</li>
 * <li>{@code <prefix>current:<target>}: the id a target's writers use.</li>
 * </ul>
 * Every operation touches a single key, so it works on a cluster whatever the slots. Keys
 * carry no TTL; compress-redis never deletes a dictionary (see the retention rule in the
 * README). Reads are bounded: a record is read with {@code GETRANGE} up to the reader's
 * limit.
 *
 * @author compress-redis contributors
 */
public final class RedisDictionaryStore implements DictionaryStore {

	/** The default key prefix. */
	public static final String DEFAULT_PREFIX = "compress-redis:dict:";

	/**
	 * Raise the sequence to at least ARGV[1], never lower it: one key, so cluster-safe.
	 */
	private static final byte[] RAISE_SEQUENCE = ("local v = tonumber(redis.call('GET', KEYS[1]) or '0') "
			+ "local t = tonumber(ARGV[1]) if v < t then redis.call('SET', KEYS[1], ARGV[1]) return t end return v")
		.getBytes(StandardCharsets.UTF_8);

	private final RedisConnectionFactory connectionFactory;

	private final String prefix;

	public RedisDictionaryStore(RedisConnectionFactory connectionFactory) {
		this(connectionFactory, DEFAULT_PREFIX);
	}

	public RedisDictionaryStore(RedisConnectionFactory connectionFactory, String prefix) {
		this.connectionFactory = Objects.requireNonNull(connectionFactory, "'connectionFactory' must not be null");
		this.prefix = Objects.requireNonNull(prefix, "'prefix' must not be null");
	}

	/**
	 * Read at most {@code maxRecordLength + 1} bytes of the record ({@code GETRANGE}), so
	 * that a record too large is refused having transferred no more than the limit, in
	 * one round trip. An absent key reads as empty, which no dictionary record is.
	 */
	@Override
	public @Nullable Dictionary find(int id, int maxRecordLength) {
		byte[] stored;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			stored = connection.stringCommands().getRange(key(dictionaryKey(id)), 0, maxRecordLength);
		}
		if (stored == null || stored.length == 0) {
			return null;
		}
		if (stored.length > maxRecordLength) {
			throw new DictionaryRecordTooLargeException("Redis key '" + dictionaryKey(id) + "' holds more than "
					+ maxRecordLength + " bytes, more than a dictionary of the configured size can take ("
					+ Dictionary.RECORD_SIZE_FACTOR + " x compress.redis.dictionary.size + "
					+ Dictionary.MAX_LINE_LENGTH + " bytes); it was refused without reading it. If it is a dictionary "
					+ "of an application configured with a larger size, raise compress.redis.dictionary.size; "
					+ "otherwise it is not a dictionary and should be deleted");
		}
		return Dictionary.decode(id, stored);
	}

	@Override
	public int allocateId() {
		Long id;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			id = connection.stringCommands().incr(key(sequenceKey()));
		}
		if (id == null || id <= 0 || id > Dictionary.MAX_ID) {
			throw new IllegalStateException("Cannot allocate a dictionary id: INCR " + sequenceKey() + " returned " + id
					+ ", outside 1 to " + Dictionary.MAX_ID + " (the ids a value header can carry)");
		}
		return id.intValue();
	}

	@Override
	public void skipPast(int taken, int step) {
		long target = Math.min((long) taken + Math.max(step, 1) - 1, Dictionary.MAX_ID);
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.scriptingCommands()
				.eval(RAISE_SEQUENCE, ReturnType.INTEGER, 1, key(sequenceKey()), key(Long.toString(target)));
		}
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
			// an id has at most 10 digits: read no more than that could be
			stored = connection.stringCommands().getRange(key(currentKey(target)), 0, 15);
		}
		if (stored == null || stored.length == 0) {
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
	 * Return the key holding the last allocated id.
	 * @return the key
	 */
	public String sequenceKey() {
		return this.prefix + "seq";
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
