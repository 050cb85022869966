package io.github.compressredis.autoconfigure;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.json.JsonCompressingRedisSerializer;
import io.github.compressredis.core.policy.PolicyPatch;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Builds the compressing serializers the auto-configuration applies. With {@link CompressionTargets},
 * each named target (a template, a cache, the session) writes with its own policy, breaker,
 * statistics and dictionary; without, every serializer shares one {@link ValueCompressor} (with a
 * {@link DictionaryRegistry}, each named target still writes with its own trained dictionary).
 * Define a bean of this type to change how every target is wrapped.
 */
public class CompressingSerializerFactory {

	private final ValueCompressor compressor;

	private final @Nullable DictionaryRegistry dictionaries;

	private final Map<String, ValueCompressor> targets = new ConcurrentHashMap<>();

	private final @Nullable CompressionTargets namedTargets;

	public CompressingSerializerFactory(ValueCompressor compressor) {
		this(compressor, (DictionaryRegistry) null);
	}

	/**
	 * Create a factory whose named targets write with trained dictionaries.
	 * @param compressor the shared compressor
	 * @param dictionaries the registry writers train and use dictionaries in, {@code null} for none
	 */
	public CompressingSerializerFactory(ValueCompressor compressor, @Nullable DictionaryRegistry dictionaries) {
		this.compressor = Objects.requireNonNull(compressor, "'compressor' must not be null");
		this.dictionaries = dictionaries;
		this.namedTargets = null;
	}

	/**
	 * Create a factory whose named targets each have their own policy, breaker, statistics and
	 * dictionary.
	 * @param compressor the shared compressor, for serializers wrapped without a target name
	 * @param targets the targets
	 */
	public CompressingSerializerFactory(ValueCompressor compressor, CompressionTargets targets) {
		this.compressor = Objects.requireNonNull(compressor, "'compressor' must not be null");
		this.namedTargets = Objects.requireNonNull(targets, "'targets' must not be null");
		this.dictionaries = null;
	}

	/**
	 * Return the named targets, when each has its own policy and breaker.
	 * @return the targets, or {@code null} when every serializer shares one compressor
	 */
	public @Nullable CompressionTargets getTargets() {
		return this.namedTargets;
	}

	public @Nullable DictionaryRegistry getDictionaries() {
		return this.dictionaries;
	}

	/**
	 * Return the shared compressor, writing with the named target's dictionary when dictionaries are on.
	 * @param target the target, for example {@code cache:products} or {@code template:redisTemplate}
	 * @return the compressor for that target
	 */
	public ValueCompressor compressorFor(String target) {
		if (this.namedTargets != null) {
			return this.namedTargets.compressor(target);
		}
		return (this.dictionaries != null) ? this.targets.computeIfAbsent(target, (name) -> forTarget(this.compressor, name))
				: this.compressor;
	}

	/**
	 * Return the compressor of a target whose policy differs from the global one.
	 * @param target the target
	 * @param override the fields of its policy that differ from the global policy
	 * @return the compressor for that target
	 */
	public ValueCompressor compressorFor(String target, PolicyPatch override) {
		if (override.isEmpty()) {
			return compressorFor(target);
		}
		if (this.namedTargets == null) {
			throw new IllegalStateException("Target '" + target + "' has a policy override (" + override
					+ "), which needs the auto-configured ValueCompressor; the application's own ValueCompressor "
					+ "bean applies one policy to every target");
		}
		return this.namedTargets.compressor(target, override);
	}

	/**
	 * Return a compressor (a derived one, say) that writes with the named target's dictionary when
	 * dictionaries are on.
	 * @param compressor the compressor
	 * @param target the target
	 * @return the compressor for that target
	 */
	public ValueCompressor forTarget(ValueCompressor compressor, String target) {
		DictionaryRegistry dictionaries = this.dictionaries;
		return (dictionaries != null) ? compressor.withDictionaries(dictionaries, dictionaries.target(target))
				: compressor;
	}

	/**
	 * Wrap a serializer for a named target (its own dictionary when dictionaries are on).
	 * @param <T> the serialized type
	 * @param delegate the serializer to wrap
	 * @param target the target
	 * @return the compressing serializer
	 */
	public <T> RedisSerializer<T> wrap(RedisSerializer<T> delegate, String target) {
		return wrap(delegate, compressorFor(target));
	}

	/**
	 * Wrap a serialization pair for a named target (its own dictionary when dictionaries are on).
	 * @param <T> the serialized type
	 * @param pair the pair to wrap
	 * @param target the target
	 * @return the compressing pair
	 */
	public <T> SerializationPair<T> wrap(SerializationPair<T> pair, String target) {
		return wrap(pair, compressorFor(target));
	}

	public ValueCompressor getCompressor() {
		return this.compressor;
	}

	/**
	 * Wrap a serializer with the shared policy; a serializer that already compresses (among them
	 * {@link JsonCompressingRedisSerializer}) is returned as it is.
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

	static <T> RedisSerializer<T> wrap(RedisSerializer<T> delegate, ValueCompressor compressor) {
		// the JSON serializer compresses itself (instanceof loads the class only: no Jackson needed)
		if (delegate instanceof CompressingRedisSerializer || delegate instanceof JsonCompressingRedisSerializer) {
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
