package io.github.compressredis.autoconfigure.commands;

import java.util.List;

import io.github.compressredis.core.ValueCompressor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveGeoOperations;
import org.springframework.data.redis.core.ReactiveHashOperations;
import org.springframework.data.redis.core.ReactiveHyperLogLogOperations;
import org.springframework.data.redis.core.ReactiveListOperations;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveSetOperations;
import org.springframework.data.redis.core.ReactiveStreamOperations;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ReactiveValueOperations;
import org.springframework.data.redis.core.ReactiveZSetOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisElementReader;
import org.springframework.data.redis.serializer.RedisElementWriter;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

/**
 * Builds the reactive templates compress-redis wraps: values compressed, members Redis
 * compares by bytes (set, sorted-set, geo, HyperLogLog, list and stream values, pub/sub
 * messages, script arguments) written plain, and the value and hash commands that would
 * see compressed bytes answered or refused as for a {@code RedisTemplate}.
 *
 * @author compress-redis contributors
 */
public final class CompressionCommandsReactiveTemplates {

	private CompressionCommandsReactiveTemplates() {
	}

	/**
	 * Create a template like the given one whose values are written with the compressing
	 * context.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param template the application's template, a {@link ReactiveRedisTemplate} or a
	 * {@link ReactiveStringRedisTemplate}
	 * @param compressing its context with compressing value and hash-value pairs
	 * @param compressor the compressor that decodes frames
	 * @return the new template, of the same type as the given one
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static <K, V> ReactiveRedisTemplate<K, V> create(ReactiveRedisTemplate<K, V> template,
			RedisSerializationContext<K, V> compressing, ValueCompressor compressor) {
		RedisSerializationContext<K, V> original = template.getSerializationContext();
		RedisSerializationContext<K, V> members = RedisSerializationContext.<K, V>newSerializationContext()
			.key(compressing.getKeySerializationPair())
			.value(SerializationPair.just(compressing.getValueSerializationPair().getReader(),
					original.getValueSerializationPair().getWriter()))
			.hashKey(compressing.getHashKeySerializationPair())
			.hashValue(
					(SerializationPair) SerializationPair.just(compressing.getHashValueSerializationPair().getReader(),
							(RedisElementWriter) original.getHashValueSerializationPair().getWriter()))
			.string(compressing.getStringSerializationPair())
			.build();
		if (template instanceof ReactiveStringRedisTemplate) {
			return (ReactiveRedisTemplate) new GuardedReactiveStringRedisTemplate(template.getConnectionFactory(),
					(RedisSerializationContext) compressing, (RedisSerializationContext) members, compressor);
		}
		return new GuardedReactiveRedisTemplate<>(template.getConnectionFactory(), compressing, members, compressor);
	}

	static final class GuardedReactiveRedisTemplate<K, V> extends ReactiveRedisTemplate<K, V> {

		private final ReactiveCommandGuards<K, V> guards;

		GuardedReactiveRedisTemplate(ReactiveRedisConnectionFactory connectionFactory,
				RedisSerializationContext<K, V> context, RedisSerializationContext<K, V> members,
				ValueCompressor compressor) {
			super(connectionFactory, context);
			this.guards = new ReactiveCommandGuards<>(this, members, compressor);
		}

		@Override
		public ReactiveValueOperations<K, V> opsForValue() {
			return this.guards.values(super.opsForValue());
		}

		@Override
		public <HK, HV> ReactiveHashOperations<K, HK, HV> opsForHash() {
			return this.guards.hashes(super.opsForHash());
		}

		@Override
		public ReactiveSetOperations<K, V> opsForSet() {
			return opsForSet(this.guards.members());
		}

		@Override
		public ReactiveZSetOperations<K, V> opsForZSet() {
			return opsForZSet(this.guards.members());
		}

		@Override
		public ReactiveListOperations<K, V> opsForList() {
			return opsForList(this.guards.members());
		}

		@Override
		public ReactiveGeoOperations<K, V> opsForGeo() {
			return opsForGeo(this.guards.members());
		}

		@Override
		public ReactiveHyperLogLogOperations<K, V> opsForHyperLogLog() {
			return opsForHyperLogLog(this.guards.members());
		}

		@Override
		public <HK, HV> ReactiveStreamOperations<K, HK, HV> opsForStream() {
			return opsForStream(this.guards.members());
		}

		@Override
		public Mono<Long> convertAndSend(String destination, V message) {
			return this.guards.publish(destination, message);
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> Flux<T> execute(RedisScript<T> script, List<K> keys, List<?> args) {
			return execute(script, keys, args, this.guards.members().getValueSerializationPair().getWriter(),
					(RedisElementReader<T>) getSerializationContext().getValueSerializationPair().getReader());
		}

	}

	static final class GuardedReactiveStringRedisTemplate extends ReactiveStringRedisTemplate {

		private final ReactiveCommandGuards<String, String> guards;

		GuardedReactiveStringRedisTemplate(ReactiveRedisConnectionFactory connectionFactory,
				RedisSerializationContext<String, String> context, RedisSerializationContext<String, String> members,
				ValueCompressor compressor) {
			super(connectionFactory, context);
			this.guards = new ReactiveCommandGuards<>(this, members, compressor);
		}

		@Override
		public ReactiveValueOperations<String, String> opsForValue() {
			return this.guards.values(super.opsForValue());
		}

		@Override
		public <HK, HV> ReactiveHashOperations<String, HK, HV> opsForHash() {
			return this.guards.hashes(super.opsForHash());
		}

		@Override
		public ReactiveSetOperations<String, String> opsForSet() {
			return opsForSet(this.guards.members());
		}

		@Override
		public ReactiveZSetOperations<String, String> opsForZSet() {
			return opsForZSet(this.guards.members());
		}

		@Override
		public ReactiveListOperations<String, String> opsForList() {
			return opsForList(this.guards.members());
		}

		@Override
		public ReactiveGeoOperations<String, String> opsForGeo() {
			return opsForGeo(this.guards.members());
		}

		@Override
		public ReactiveHyperLogLogOperations<String, String> opsForHyperLogLog() {
			return opsForHyperLogLog(this.guards.members());
		}

		@Override
		public <HK, HV> ReactiveStreamOperations<String, HK, HV> opsForStream() {
			return opsForStream(this.guards.members());
		}

		@Override
		public Mono<Long> convertAndSend(String destination, String message) {
			return this.guards.publish(destination, message);
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> Flux<T> execute(RedisScript<T> script, List<String> keys, List<?> args) {
			return execute(script, keys, args, this.guards.members().getValueSerializationPair().getWriter(),
					(RedisElementReader<T>) getSerializationContext().getValueSerializationPair().getReader());
		}

	}

}
