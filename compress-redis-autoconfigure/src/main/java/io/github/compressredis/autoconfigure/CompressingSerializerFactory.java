package io.github.compressredis.autoconfigure;

import java.nio.ByteBuffer;
import java.util.Objects;

import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Builds the compressing serializers the auto-configuration applies, all sharing one
 * {@link ValueCompressor} (policy, codecs and statistics). Define a bean of this type to change
 * how every target is wrapped.
 */
public class CompressingSerializerFactory {

	private final ValueCompressor compressor;

	public CompressingSerializerFactory(ValueCompressor compressor) {
		this.compressor = Objects.requireNonNull(compressor, "'compressor' must not be null");
	}

	public ValueCompressor getCompressor() {
		return this.compressor;
	}

	/**
	 * Wrap a serializer with the shared policy; a serializer that already compresses is returned
	 * as it is.
	 * @param <T> the serialized type
	 * @param delegate the serializer to wrap
	 * @return the compressing serializer
	 */
	public <T> RedisSerializer<T> wrap(RedisSerializer<T> delegate) {
		return wrap(delegate, this.compressor);
	}

	/**
	 * Wrap a serialization pair (as held by a cache configuration or a reactive template).
	 * @param <T> the serialized type
	 * @param pair the pair to wrap
	 * @return the compressing pair
	 */
	public <T> SerializationPair<T> wrap(SerializationPair<T> pair) {
		return wrap(pair, this.compressor);
	}

	/**
	 * Return a compressor whose policy is the shared one with per-target overrides applied, and
	 * follows every later change of the shared policy. It shares the codecs and statistics.
	 * @param overrides how to derive the policy from the shared one
	 * @return the derived compressor
	 */
	public ValueCompressor derive(PolicyDerivation overrides) {
		CompressionPolicyHolder shared = this.compressor.getPolicies();
		CompressionPolicyHolder derived = new CompressionPolicyHolder(overrides.apply(shared.policy()),
				shared.current().source());
		shared.addListener((version) -> {
			try {
				derived.update(overrides.apply(version.policy()), version.source());
			}
			catch (IllegalArgumentException ex) {
				derived.refuse(version.source(), ex.getMessage());
			}
		});
		return new ValueCompressor(derived, this.compressor.getCodecs(), this.compressor.getStats());
	}

	static <T> RedisSerializer<T> wrap(RedisSerializer<T> delegate, ValueCompressor compressor) {
		if (delegate instanceof CompressingRedisSerializer) {
			return delegate;
		}
		return new CompressingRedisSerializer<>(delegate, compressor);
	}

	static <T> SerializationPair<T> wrap(SerializationPair<T> pair, ValueCompressor compressor) {
		if (pair instanceof CompressingPair) {
			return pair;
		}
		return new CompressingPair<>(new PairSerializer<>(pair), compressor);
	}

	/**
	 * Derives a target's policy from the shared one.
	 */
	@FunctionalInterface
	public interface PolicyDerivation {

		CompressionPolicy apply(CompressionPolicy shared);

	}

	/**
	 * A serialization pair whose serializer compresses; marks pairs already wrapped.
	 */
	static final class CompressingPair<T> implements SerializationPair<T> {

		private final SerializationPair<T> pair;

		CompressingPair(RedisSerializer<T> delegate, ValueCompressor compressor) {
			this.pair = SerializationPair.fromSerializer(new CompressingRedisSerializer<>(delegate, compressor));
		}

		@Override
		public org.springframework.data.redis.serializer.RedisElementReader<T> getReader() {
			return this.pair.getReader();
		}

		@Override
		public org.springframework.data.redis.serializer.RedisElementWriter<T> getWriter() {
			return this.pair.getWriter();
		}

	}

	/**
	 * Presents a serialization pair as a serializer, so that a pair built from readers and
	 * writers can be wrapped too.
	 */
	static final class PairSerializer<T> implements RedisSerializer<T> {

		private final SerializationPair<T> pair;

		PairSerializer(SerializationPair<T> pair) {
			this.pair = pair;
		}

		@Override
		public byte @Nullable [] serialize(@Nullable T value) {
			ByteBuffer buffer = this.pair.write(value);
			if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
					&& buffer.remaining() == buffer.array().length) {
				// a pair built from a serializer wraps its array: no copy needed
				return buffer.array();
			}
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			return bytes;
		}

		@Override
		public @Nullable T deserialize(byte @Nullable [] bytes) {
			return this.pair.read(ByteBuffer.wrap((bytes != null) ? bytes : new byte[0]));
		}

	}

}
