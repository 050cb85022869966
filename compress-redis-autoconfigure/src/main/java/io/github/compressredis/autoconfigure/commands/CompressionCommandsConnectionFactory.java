package io.github.compressredis.autoconfigure.commands;

import java.util.Objects;

import io.github.compressredis.core.ValueCompressor;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;

/**
 * The connection factory set on every {@code RedisTemplate} compress-redis wraps: it
 * hands out the client's connections behind a proxy that writes members Redis compares by
 * bytes in canonical (plain) form and answers or refuses the commands that would see
 * compressed bytes (see the README, "Commands on compressed values"). Connections and
 * their lifecycle stay the client factory's.
 *
 * @author compress-redis contributors
 */
public final class CompressionCommandsConnectionFactory implements RedisConnectionFactory {

	private final RedisConnectionFactory delegate;

	private final ValueCompressor compressor;

	/**
	 * Create a factory guarding the connections of another.
	 * @param delegate the client's connection factory
	 * @param compressor the compressor that decodes frames (its dictionaries included)
	 */
	public CompressionCommandsConnectionFactory(RedisConnectionFactory delegate, ValueCompressor compressor) {
		this.delegate = Objects.requireNonNull(delegate, "'delegate' must not be null");
		this.compressor = Objects.requireNonNull(compressor, "'compressor' must not be null");
	}

	/**
	 * Return the client's connection factory.
	 * @return the factory connections come from
	 */
	public RedisConnectionFactory getDelegate() {
		return this.delegate;
	}

	@Override
	public RedisConnection getConnection() {
		return CommandInterceptor.guard(this.delegate.getConnection(), this.compressor);
	}

	@Override
	public RedisClusterConnection getClusterConnection() {
		return CommandInterceptor.guard(this.delegate.getClusterConnection(), this.compressor);
	}

	@Override
	public RedisSentinelConnection getSentinelConnection() {
		return this.delegate.getSentinelConnection();
	}

	@Override
	public boolean getConvertPipelineAndTxResults() {
		return this.delegate.getConvertPipelineAndTxResults();
	}

	@Override
	public @Nullable DataAccessException translateExceptionIfPossible(RuntimeException ex) {
		return this.delegate.translateExceptionIfPossible(ex);
	}

}
