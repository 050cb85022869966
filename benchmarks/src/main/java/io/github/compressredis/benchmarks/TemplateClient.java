package io.github.compressredis.benchmarks;

import java.util.List;

import io.github.compressredis.embedded.RedisServerProcess;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * A {@code RedisTemplate<String, byte[]>} with a given value serializer (this project's
 * {@code CompressingRedisSerializer}, or none), on Lettuce (one shared connection, Spring
 * Data Redis's default) or Jedis (a pooled connection per thread), as an application uses
 * it.
 *
 * @author compress-redis contributors
 */
final class TemplateClient implements KeyValueClient {

	private static final int PIPELINE_VALUES = 500;

	private static final long PIPELINE_BYTES = 8L * 1024 * 1024;

	private final RedisTemplate<String, byte[]> template;

	private final Runnable onClose;

	private TemplateClient(RedisConnectionFactory factory, RedisSerializer<byte[]> valueSerializer, Runnable onClose) {
		this.template = new RedisTemplate<>();
		this.template.setConnectionFactory(factory);
		this.template.setKeySerializer(RedisSerializer.string());
		this.template.setValueSerializer(valueSerializer);
		this.template.afterPropertiesSet();
		this.onClose = onClose;
	}

	/**
	 * A template on a connection factory the caller owns (and closes).
	 * @param factory the started connection factory
	 * @param valueSerializer the value serializer
	 * @return the client; closing it leaves the factory open
	 */
	static TemplateClient on(RedisConnectionFactory factory, RedisSerializer<byte[]> valueSerializer) {
		return new TemplateClient(factory, valueSerializer, () -> {
		});
	}

	/**
	 * A template on its own Lettuce connection factory.
	 * @param port the redis-server's port on {@value RedisServerProcess#HOST}
	 * @param valueSerializer the value serializer
	 * @return the client; closing it destroys the factory
	 */
	static TemplateClient lettuce(int port, RedisSerializer<byte[]> valueSerializer) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(RedisServerProcess.HOST, port));
		factory.afterPropertiesSet();
		factory.start();
		return new TemplateClient(factory, valueSerializer, factory::destroy);
	}

	/**
	 * A template on its own Jedis connection factory (pooled, Spring Data Redis's default
	 * pool).
	 * @param port the redis-server's port on {@value RedisServerProcess#HOST}
	 * @param valueSerializer the value serializer
	 * @return the client; closing it destroys the factory
	 */
	static TemplateClient jedis(int port, RedisSerializer<byte[]> valueSerializer) {
		JedisConnectionFactory factory = new JedisConnectionFactory(
				new RedisStandaloneConfiguration(RedisServerProcess.HOST, port));
		factory.afterPropertiesSet();
		factory.start();
		return new TemplateClient(factory, valueSerializer, factory::destroy);
	}

	@Override
	public void set(String key, byte[] value) {
		this.template.opsForValue().set(key, value);
	}

	@Override
	public byte[] get(String key) {
		return this.template.opsForValue().get(key);
	}

	/** Pipelined in batches of at most 500 values and 8 MB. */
	@Override
	@SuppressWarnings("unchecked")
	public void load(String[] keys, List<byte[]> values) {
		int start = 0;
		while (start < keys.length) {
			int end = start;
			long bytes = 0;
			while (end < keys.length && end - start < PIPELINE_VALUES && bytes < PIPELINE_BYTES) {
				bytes += values.get(end).length;
				end++;
			}
			int from = start;
			int to = end;
			this.template.executePipelined(new SessionCallback<Object>() {
				@Override
				public <K, V> Object execute(RedisOperations<K, V> operations) {
					RedisOperations<String, byte[]> ops = (RedisOperations<String, byte[]>) operations;
					for (int i = from; i < to; i++) {
						ops.opsForValue().set(keys[i], values.get(i));
					}
					return null;
				}
			});
			start = end;
		}
	}

	@Override
	public void close() {
		this.onClose.run();
	}

}
