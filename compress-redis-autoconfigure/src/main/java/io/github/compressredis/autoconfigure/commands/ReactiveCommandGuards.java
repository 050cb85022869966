package io.github.compressredis.autoconfigure.commands;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.internal.format.WireFormat;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.BitFieldSubCommands;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.ReactiveHashOperations;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveValueOperations;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.util.ByteUtils;

/**
 * The guards of a reactive template's value and hash operations: the same answers and
 * refusals as {@link CompressionCommandsConnectionFactory} gives a {@code RedisTemplate},
 * through the same script.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @author compress-redis contributors
 */
final class ReactiveCommandGuards<K, V> {

	private final ReactiveRedisTemplate<K, V> template;

	private final RedisSerializationContext<K, V> members;

	private final ValueCompressor compressor;

	ReactiveCommandGuards(ReactiveRedisTemplate<K, V> template, RedisSerializationContext<K, V> members,
			ValueCompressor compressor) {
		this.template = template;
		this.members = members;
		this.compressor = compressor;
	}

	/**
	 * Return the context members are written with: plain values, values of any form read.
	 * @return the members' serialization context
	 */
	RedisSerializationContext<K, V> members() {
		return this.members;
	}

	@SuppressWarnings("unchecked")
	ReactiveValueOperations<K, V> values(ReactiveValueOperations<K, V> operations) {
		return (ReactiveValueOperations<K, V>) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ReactiveValueOperations.class }, new Handler(operations, false));
	}

	@SuppressWarnings("unchecked")
	<HK, HV> ReactiveHashOperations<K, HK, HV> hashes(ReactiveHashOperations<K, HK, HV> operations) {
		return (ReactiveHashOperations<K, HK, HV>) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ReactiveHashOperations.class }, new Handler(operations, true));
	}

	/**
	 * PUBLISH with the message written plain.
	 * @param channel the channel
	 * @param message the message
	 * @return the number of clients that received it
	 */
	Mono<Long> publish(String channel, V message) {
		ByteBuffer rawChannel = this.template.getSerializationContext().getStringSerializationPair().write(channel);
		ByteBuffer rawMessage = this.members.getValueSerializationPair().write(message);
		return this.template.createMono((connection) -> connection.pubSubCommands().publish(rawChannel, rawMessage));
	}

	private byte[] rawKey(Object key) {
		@SuppressWarnings("unchecked")
		ByteBuffer raw = this.template.getSerializationContext().getKeySerializationPair().write((K) key);
		return ByteUtils.getBytes(raw);
	}

	private <T> Flux<T> guard(String command, ReturnType type, byte[] key, Object... trailing) {
		ByteBuffer[] keysAndArgs = Arrays
			.stream(GuardScript.keysAndArguments(new byte[][] { key }, command, 1, null, trailing))
			.map(ByteBuffer::wrap)
			.toArray(ByteBuffer[]::new);
		return this.template
			.<T>createFlux((connection) -> connection.scriptingCommands()
				.eval(ByteBuffer.wrap(GuardScript.GUARD), type, 1, keysAndArgs))
			.onErrorMap((ex) -> GuardScript.refusal(ex) != null,
					(ex) -> new CompressedValueCommandException(command, CommandInterceptor.printable(key), ex));
	}

	private Mono<Long> size(byte[] key) {
		return this.<Long>guard("STRLEN", ReturnType.INTEGER, key)
			.next()
			.onErrorResume(CompressedValueCommandException.class,
					(ex) -> this.template.createMono((connection) -> connection.stringCommands()
						.getRange(ByteBuffer.wrap(key), 0, GuardScript.HEADER_PREFIX - 1)
						.map(ByteUtils::getBytes)
						.flatMap((head) -> WireFormat.isFramed(head) ? Mono.just(GuardScript.originalLength(head))
								: connection.stringCommands().strLen(ByteBuffer.wrap(key)))));
	}

	private Mono<String> getRange(byte[] key, long start, long end) {
		RedisSerializationContext.SerializationPair<String> strings = this.template.getSerializationContext()
			.getStringSerializationPair();
		return this.<ByteBuffer>guard("GETRANGE", ReturnType.VALUE, key, start, end)
			.next()
			.onErrorResume(CompressedValueCommandException.class, (ex) -> this.template
				.createMono((connection) -> connection.stringCommands()
					.get(ByteBuffer.wrap(key))
					.map((stored) -> ByteBuffer
						.wrap(GuardScript.range(this.compressor.decompress(ByteUtils.getBytes(stored)), start, end)))))
			.map(strings::read);
	}

	private Mono<List<Long>> bitField(byte[] key, BitFieldSubCommands subCommands) {
		return this.<Object>guard("BITFIELD", ReturnType.MULTI, key, CommandInterceptor.bitFieldArguments(subCommands))
			.collectList()
			.map(ReactiveCommandGuards::flatten);
	}

	@SuppressWarnings("unchecked")
	private static List<Long> flatten(List<Object> replies) {
		return (replies.size() == 1 && replies.get(0) instanceof List<?> list) ? (List<Long>) list
				: (List<Long>) (List<?>) replies;
	}

	private Mono<?> counted(Mono<?> counting, String command, byte[] key, byte @Nullable [] field) {
		return counting.onErrorResume((ex) -> !(ex instanceof CompressedValueCommandException),
				(ex) -> this.template
					.createMono((connection) -> (field != null)
							? connection.hashCommands().hGet(ByteBuffer.wrap(key), ByteBuffer.wrap(field))
							: connection.stringCommands().getRange(ByteBuffer.wrap(key), 0, 1))
					.map((value) -> WireFormat.isFramed(ByteUtils.getBytes(value)))
					.defaultIfEmpty(false)
					.onErrorReturn(false)
					.flatMap((framed) -> Mono.error(
							framed ? new CompressedValueCommandException(command, CommandInterceptor.printable(key), ex)
									: ex)));
	}

	private final class Handler extends ForwardingHandler {

		private final boolean hash;

		Handler(Object operations, boolean hash) {
			super(operations);
			this.hash = hash;
		}

		@Override
		@Nullable Object handle(String name, Method method, Object[] args) throws Throwable {
			int count = args.length;
			if (this.hash) {
				return (name.equals("increment") && count == 3) ? counted((Mono<?>) forward(method, args),
						(args[2] instanceof Double) ? "HINCRBYFLOAT" : "HINCRBY", rawKey(args[0]), rawHashKey(args[1]))
						: forward(method, args);
			}
			return switch (name) {
				case "size" -> (count == 1) ? size(rawKey(args[0])) : forward(method, args);
				case "get" ->
					(count == 3) ? getRange(rawKey(args[0]), (long) args[1], (long) args[2]) : forward(method, args);
				case "append" -> guard("APPEND", ReturnType.INTEGER, rawKey(args[0]), strings((String) args[1])).next();
				case "set" -> (count == 3 && args[2] instanceof Long offset)
						? guard("SETRANGE", ReturnType.INTEGER, rawKey(args[0]), offset, plain(args[1])).next()
						: forward(method, args);
				case "setBit" -> guard("SETBIT", ReturnType.BOOLEAN, rawKey(args[0]), args[1],
						CommandInterceptor.bit((boolean) args[2]))
					.next();
				case "getBit" -> guard("GETBIT", ReturnType.BOOLEAN, rawKey(args[0]), args[1]).next();
				case "bitField" -> bitField(rawKey(args[0]), (BitFieldSubCommands) args[1]);
				case "increment", "decrement" ->
					counted((Mono<?>) forward(method, args), counter(name, args), rawKey(args[0]), null);
				default -> forward(method, args);
			};
		}

		private String counter(String name, Object[] args) {
			if (args.length == 1) {
				return name.equals("increment") ? "INCR" : "DECR";
			}
			return name.equals("decrement") ? "DECRBY" : (args[1] instanceof Double) ? "INCRBYFLOAT" : "INCRBY";
		}

		private byte[] strings(String value) {
			return ByteUtils.getBytes(ReactiveCommandGuards.this.template.getSerializationContext()
				.getStringSerializationPair()
				.write(value));
		}

		@SuppressWarnings("unchecked")
		private byte[] plain(Object value) {
			return ByteUtils.getBytes(ReactiveCommandGuards.this.members.getValueSerializationPair().write((V) value));
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		private byte[] rawHashKey(Object hashKey) {
			RedisSerializationContext.SerializationPair pair = ReactiveCommandGuards.this.template
				.getSerializationContext()
				.getHashKeySerializationPair();
			return ByteUtils.getBytes(pair.write(hashKey));
		}

	}

}
