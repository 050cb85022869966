package io.github.compressredis.core;

import java.util.Objects;

import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * A {@link RedisSerializer} that compresses what its delegate produces, following the
 * policy in force, and reads back compressed values (with any codec) and plain ones
 * (written before compression was enabled) alike. Immutable and thread-safe.
 *
 * @param <T> the type the delegate serializes
 * @author compress-redis contributors
 */
public final class CompressingRedisSerializer<T> implements RedisSerializer<T> {

	private final RedisSerializer<T> delegate;

	private final ValueCompressor compressor;

	/**
	 * Wrap a delegate with a compressor shared by other serializers.
	 * @param delegate the serializer to wrap
	 * @param compressor the compressor
	 */
	public CompressingRedisSerializer(RedisSerializer<T> delegate, ValueCompressor compressor) {
		this.delegate = Objects.requireNonNull(delegate, "'delegate' must not be null");
		this.compressor = Objects.requireNonNull(compressor, "'compressor' must not be null");
	}

	/**
	 * Wrap a delegate with the {@link CompressionPolicy#defaults() default policy}. See
	 * {@link #of(RedisSerializer, CompressionPolicy)}.
	 * @param <T> the type the delegate serializes
	 * @param delegate the serializer to wrap
	 * @return the compressing serializer
	 */
	public static <T> CompressingRedisSerializer<T> of(RedisSerializer<T> delegate) {
		return of(delegate, CompressionPolicy.defaults());
	}

	/**
	 * Wrap a delegate with a fixed policy and its own statistics. Its codecs are
	 * {@link CodecRegistry#shared() shared} by every serializer made this way: a call
	 * costs a few small objects on the heap and no native memory of its own, however many
	 * are made and dropped (the shared codecs hold at most one set of pooled native
	 * contexts per algorithm, for the life of the class loader). Applications share one
	 * {@link ValueCompressor} instead (see {@link ValueCompressor#builder()}), so that
	 * every serializer follows the same policy.
	 * @param <T> the type the delegate serializes
	 * @param delegate the serializer to wrap
	 * @param policy the policy
	 * @return the compressing serializer
	 */
	public static <T> CompressingRedisSerializer<T> of(RedisSerializer<T> delegate, CompressionPolicy policy) {
		Objects.requireNonNull(policy, "'policy' must not be null");
		return new CompressingRedisSerializer<>(delegate, ValueCompressor.builder().policy(policy).build());
	}

	/**
	 * Wrap a delegate with a fixed policy.
	 * @param <T> the type the delegate serializes
	 * @param delegate the serializer to wrap
	 * @param policy the policy
	 * @return the compressing serializer
	 * @deprecated since 0.2.0 for removal in 0.3.0 in favor of
	 * {@link #of(RedisSerializer, CompressionPolicy)}, which does the same
	 */
	@Deprecated(since = "0.2.0", forRemoval = true)
	public static <T> CompressingRedisSerializer<T> wrap(RedisSerializer<T> delegate, CompressionPolicy policy) {
		return of(delegate, policy);
	}

	/**
	 * Return the wrapped serializer.
	 * @return the delegate
	 */
	public RedisSerializer<T> getDelegate() {
		return this.delegate;
	}

	/**
	 * Return the compressor values go through.
	 * @return the compressor
	 */
	public ValueCompressor getCompressor() {
		return this.compressor;
	}

	@Override
	public byte @Nullable [] serialize(@Nullable T value) {
		byte[] bytes = this.delegate.serialize(value);
		return (bytes != null && bytes.length != 0) ? this.compressor.compress(bytes) : bytes;
	}

	@Override
	public @Nullable T deserialize(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length == 0) {
			return this.delegate.deserialize(bytes);
		}
		return this.delegate.deserialize(this.compressor.decompress(bytes));
	}

	@Override
	public boolean canSerialize(Class<?> type) {
		return this.delegate.canSerialize(type);
	}

	@Override
	public Class<?> getTargetType() {
		return this.delegate.getTargetType();
	}

}
