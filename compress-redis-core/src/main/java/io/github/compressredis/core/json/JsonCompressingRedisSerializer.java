package io.github.compressredis.core.json;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.policy.CompressionPolicy;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * A {@link RedisSerializer} that writes objects as JSON with the application's Jackson 3
 * {@link JsonMapper} straight into a {@link ValueCompressor}'s stream
 * ({@link ValueCompressor#compress(java.util.function.Consumer)}) and parses them
 * straight from its decoding stream
 * ({@link ValueCompressor#decompress(byte[], java.util.function.Function)}), so that a
 * big value never exists as one array of its JSON. The compressor decides everything
 * else, as for {@link io.github.compressredis.core.CompressingRedisSerializer}: the
 * policy, the format, the statistics and the breaker; either serializer reads what the
 * other writes. A damaged value is a {@link CompressedValueException} (the format's
 * fault), even when the damage also broke the JSON.
 *
 * @param <T> the type of the values
 * @author compress-redis contributors
 */
public final class JsonCompressingRedisSerializer<T> implements RedisSerializer<T> {

	private static final byte[] EMPTY = new byte[0];

	private final JsonMapper mapper;

	private final JavaType type;

	private final ValueCompressor compressor;

	private JsonCompressingRedisSerializer(JsonMapper mapper, JavaType type, ValueCompressor compressor) {
		this.mapper = mapper;
		this.type = type;
		this.compressor = compressor;
	}

	/**
	 * Create a serializer of values of a type.
	 * @param <T> the type
	 * @param mapper the application's mapper
	 * @param type the type values are read as
	 * @param compressor the compressor (its policy, codecs, statistics and breaker)
	 * @return the serializer
	 */
	public static <T> JsonCompressingRedisSerializer<T> json(JsonMapper mapper, Class<T> type,
			ValueCompressor compressor) {
		Objects.requireNonNull(mapper, "'mapper' must not be null");
		Objects.requireNonNull(type, "'type' must not be null");
		Objects.requireNonNull(compressor, "'compressor' must not be null");
		return new JsonCompressingRedisSerializer<>(mapper, mapper.constructType(type), compressor);
	}

	/**
	 * Create a serializer that reads values as whatever the mapper makes of
	 * {@code Object} (maps, lists and scalars, or typed objects if the mapper records
	 * types).
	 * @param mapper the application's mapper
	 * @param compressor the compressor
	 * @return the serializer
	 */
	public static JsonCompressingRedisSerializer<Object> json(JsonMapper mapper, ValueCompressor compressor) {
		return json(mapper, Object.class, compressor);
	}

	/**
	 * Create a serializer with a fixed policy and its own statistics, on the
	 * {@link CodecRegistry#shared() shared} codecs, as
	 * {@link io.github.compressredis.core.CompressingRedisSerializer#of(RedisSerializer, CompressionPolicy)}
	 * does for other serializers.
	 * @param <T> the type
	 * @param mapper the application's mapper
	 * @param type the type values are read as
	 * @param policy the policy
	 * @return the serializer
	 */
	public static <T> JsonCompressingRedisSerializer<T> json(JsonMapper mapper, Class<T> type,
			CompressionPolicy policy) {
		Objects.requireNonNull(policy, "'policy' must not be null");
		return json(mapper, type, ValueCompressor.builder().policy(policy).build());
	}

	/**
	 * Return the compressor values go through.
	 * @return the compressor
	 */
	public ValueCompressor getCompressor() {
		return this.compressor;
	}

	@Override
	public byte[] serialize(@Nullable T value) {
		if (value == null) {
			return EMPTY;
		}
		return this.compressor.compress((out) -> write(value, out));
	}

	private void write(T value, OutputStream out) {
		try {
			this.mapper.writeValue(out, value);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Could not write JSON: " + ex.getMessage(), ex);
		}
	}

	@Override
	public @Nullable T deserialize(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length == 0) {
			return null;
		}
		return this.compressor.decompress(bytes, this::read);
	}

	private @Nullable T read(InputStream in) {
		try {
			return this.mapper.readValue(in, this.type);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Could not read JSON: " + ex.getMessage(), ex);
		}
	}

	@Override
	public Class<?> getTargetType() {
		return this.type.getRawClass();
	}

}
