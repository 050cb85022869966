package io.github.compressredis.autoconfigure;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.compressredis.core.CompressingRedisSerializer;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.internal.policy.PolicyPatch;
import io.github.compressredis.core.json.JsonCompressingRedisSerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Builds the compressing serializers the auto-configuration applies. With
 * {@link CompressionTargets}, each named target (a template, a cache, the session) writes
 * with its own policy, breaker, statistics and dictionary; without, every serializer
 * shares one {@link ValueCompressor} (with a {@link DictionaryRegistry}, each named
 * target still writes with its own trained dictionary). Define a bean of this type to
 * change how every target is wrapped.
 * <p>
 * An application that builds its own {@code RedisCacheManager} gets the compression of
 * the auto-configured one with {@link #forCache(String, RedisCacheConfiguration)} (the
 * {@code cache:<name>} target: the policy of
 * {@code compress.redis.cache.policies.<name>}, its breaker, statistics and dictionary)
 * and {@link #forRuntimeCaches(RedisCacheConfiguration)} for the defaults of caches
 * created at runtime.
 *
 * @author compress-redis contributors
 */
public class CompressingSerializerFactory {

	private final ValueCompressor compressor;

	private final @Nullable DictionaryRegistry dictionaries;

	private final Map<String, ValueCompressor> targets = new ConcurrentHashMap<>();

	private final @Nullable CompressionTargets namedTargets;

	private final Map<String, PolicyPatch> cachePolicies;

	/**
	 * Create a factory whose serializers all share one compressor.
	 * @param compressor the shared compressor
	 */
	public CompressingSerializerFactory(ValueCompressor compressor) {
		this(compressor, (DictionaryRegistry) null);
	}

	/**
	 * Create a factory whose named targets write with trained dictionaries.
	 * @param compressor the shared compressor
	 * @param dictionaries the registry writers train and use dictionaries in,
	 * {@code null} for none
	 */
	public CompressingSerializerFactory(ValueCompressor compressor, @Nullable DictionaryRegistry dictionaries) {
		this(compressor, null, dictionaries, Map.of());
	}

	/**
	 * Create a factory whose named targets each have their own policy, breaker,
	 * statistics and dictionary.
	 * @param compressor the shared compressor, for serializers wrapped without a target
	 * name
	 * @param targets the targets
	 */
	public CompressingSerializerFactory(ValueCompressor compressor, CompressionTargets targets) {
		this(compressor, Objects.requireNonNull(targets, "'targets' must not be null"), null, Map.of());
	}

	/**
	 * Create a factory that also knows the policy overrides of caches by name.
	 * @param compressor the shared compressor
	 * @param targets the targets, {@code null} when every serializer shares the
	 * compressor
	 * @param dictionaries the registry, {@code null} for none (ignored with targets,
	 * which have their own)
	 * @param cachePolicies the override of each cache that has one, by cache name
	 */
	CompressingSerializerFactory(ValueCompressor compressor, @Nullable CompressionTargets targets,
			@Nullable DictionaryRegistry dictionaries, Map<String, PolicyPatch> cachePolicies) {
		this.compressor = Objects.requireNonNull(compressor, "'compressor' must not be null");
		this.namedTargets = targets;
		this.dictionaries = (targets != null) ? null : dictionaries;
		this.cachePolicies = Map.copyOf(cachePolicies);
	}

	/**
	 * Return the names of the caches with a policy override, which the auto-configuration
	 * configures even when no cache configuration names them.
	 * @return the cache names
	 */
	Set<String> getCachePolicyNames() {
		return this.cachePolicies.keySet();
	}

	/**
	 * Return a cache configuration whose values are compressed as those of the cache of
	 * that name in the auto-configured {@code RedisCacheManager}: the
	 * {@code cache:<name>} target, with the override in
	 * {@code compress.redis.cache.policies.<name>}. Everything else (TTL, key prefix, the
	 * value serializer compressed values hold) stays as given.
	 * @param cacheName the cache's name
	 * @param configuration the cache's configuration
	 * @return the configuration with compressed values
	 * @throws InvalidCompressRedisPropertyException when the cache's override does not
	 * apply to the global policy
	 */
	public RedisCacheConfiguration forCache(String cacheName, RedisCacheConfiguration configuration) {
		return configuration.serializeValuesWith(forCache(cacheName, configuration.getValueSerializationPair()));
	}

	/**
	 * Wrap the value serialization pair of a cache as
	 * {@link #forCache(String, RedisCacheConfiguration)} does.
	 * @param <T> the serialized type
	 * @param cacheName the cache's name
	 * @param pair the cache's value serialization pair
	 * @return the compressing pair
	 */
	public <T> SerializationPair<T> forCache(String cacheName, SerializationPair<T> pair) {
		Objects.requireNonNull(cacheName, "'cacheName' must not be null");
		PolicyPatch override = this.cachePolicies.get(cacheName);
		ValueCompressor compressor;
		try {
			compressor = compressorFor("cache:" + cacheName, (override != null) ? override : PolicyPatch.empty());
		}
		catch (IllegalStateException ex) {
			if (override != null && ex.getCause() instanceof PolicyRefusedException refused) {
				// the override is valid on its own but not on the global policy: name the
				// cache's property
				throw InvalidCompressRedisPropertyException.of(cachePolicyProperty(cacheName), refused);
			}
			throw ex;
		}
		return wrap(pair, compressor);
	}

	/**
	 * Return the default cache configuration of caches created at runtime (named by no
	 * configuration), compressed as the auto-configured {@code RedisCacheManager} does:
	 * they share the {@value CompressionTargets#RUNTIME_CACHES} target.
	 * @param defaults the default cache configuration
	 * @return the configuration with compressed values
	 */
	public RedisCacheConfiguration forRuntimeCaches(RedisCacheConfiguration defaults) {
		return defaults.serializeValuesWith(
				wrap(defaults.getValueSerializationPair(), compressorFor(CompressionTargets.RUNTIME_CACHES)));
	}

	/**
	 * Compress the values of every cache a {@code RedisCacheManager} builder configures,
	 * as Boot's cache manager is compressed: each configured cache and each cache named
	 * in {@code compress.redis.cache.policies} with its own target and override, and the
	 * caches created at runtime through the default configuration. Everything else of the
	 * builder's configurations stays as given. Boot's
	 * {@code RedisCacheManagerBuilderCustomizer} of each Spring Boot line calls this.
	 * @param builder the cache manager's builder
	 * @throws InvalidCompressRedisPropertyException when a cache's override does not
	 * apply to the global policy
	 */
	public void compressCaches(RedisCacheManager.RedisCacheManagerBuilder builder) {
		Objects.requireNonNull(builder, "'builder' must not be null");
		RedisCacheConfiguration defaults = builder.cacheDefaults();
		Set<String> configured = Set.copyOf(builder.getConfiguredCaches());
		for (String name : configured) {
			RedisCacheConfiguration configuration = builder.getCacheConfigurationFor(name).orElse(defaults);
			builder.withCacheConfiguration(name, forCache(name, configuration));
		}
		for (String name : getCachePolicyNames()) {
			if (!configured.contains(name)) {
				builder.withCacheConfiguration(name, forCache(name, defaults));
			}
		}
		// caches created at runtime, not named in the configuration, share one dictionary
		// target
		builder.cacheDefaults(forRuntimeCaches(defaults));
	}

	static String cachePolicyProperty(String cacheName) {
		return "compress.redis.cache.policies[" + cacheName + "]";
	}

	/**
	 * Return the named targets, when each has its own policy and breaker.
	 * @return the targets, or {@code null} when every serializer shares one compressor
	 */
	public @Nullable CompressionTargets getTargets() {
		return this.namedTargets;
	}

	/**
	 * Return the registry named targets write with dictionaries of, when every serializer
	 * shares one compressor.
	 * @return the registry, or {@code null}
	 */
	public @Nullable DictionaryRegistry getDictionaries() {
		return this.dictionaries;
	}

	/**
	 * Return the shared compressor, writing with the named target's dictionary when
	 * dictionaries are on.
	 * @param target the target, for example {@code cache:products} or
	 * {@code template:redisTemplate}
	 * @return the compressor for that target
	 */
	public ValueCompressor compressorFor(String target) {
		if (this.namedTargets != null) {
			return this.namedTargets.compressor(target);
		}
		return (this.dictionaries != null)
				? this.targets.computeIfAbsent(target, (name) -> forTarget(this.compressor, name)) : this.compressor;
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
	 * Return a compressor (a derived one, say) that writes with the named target's
	 * dictionary when dictionaries are on.
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
	 * Wrap a serialization pair for a named target (its own dictionary when dictionaries
	 * are on).
	 * @param <T> the serialized type
	 * @param pair the pair to wrap
	 * @param target the target
	 * @return the compressing pair
	 */
	public <T> SerializationPair<T> wrap(SerializationPair<T> pair, String target) {
		return wrap(pair, compressorFor(target));
	}

	/**
	 * Return the shared compressor.
	 * @return the compressor
	 */
	public ValueCompressor getCompressor() {
		return this.compressor;
	}

	/**
	 * Wrap a serializer with the shared policy; a serializer that already compresses
	 * (among them {@link JsonCompressingRedisSerializer}) is returned as it is.
	 * @param <T> the serialized type
	 * @param delegate the serializer to wrap
	 * @return the compressing serializer
	 */
	public <T> RedisSerializer<T> wrap(RedisSerializer<T> delegate) {
		return wrap(delegate, this.compressor);
	}

	/**
	 * Wrap a serialization pair (as held by a cache configuration or a reactive
	 * template).
	 * @param <T> the serialized type
	 * @param pair the pair to wrap
	 * @return the compressing pair
	 */
	public <T> SerializationPair<T> wrap(SerializationPair<T> pair) {
		return wrap(pair, this.compressor);
	}

	static <T> RedisSerializer<T> wrap(RedisSerializer<T> delegate, ValueCompressor compressor) {
		// the JSON serializer compresses itself (instanceof loads the class only: no
		// Jackson needed)
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
	 *
	 * @param <T> the type the pair reads and writes
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
	 * Presents a serialization pair as a serializer, so that a pair built from readers
	 * and writers can be wrapped too.
	 *
	 * @param <T> the type the pair reads and writes
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
