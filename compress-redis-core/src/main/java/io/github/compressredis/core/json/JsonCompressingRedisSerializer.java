package io.github.compressredis.core.json;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32C;

import io.github.compressredis.core.CompressedValueException;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.format.DecodeFault;
import io.github.compressredis.core.internal.codec.ChunkedOutputStream;
import io.github.compressredis.core.internal.codec.ZstdStreams;
import io.github.compressredis.core.internal.format.Header;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.internal.format.WireFormatException;
import io.github.compressredis.core.internal.resilience.Admission;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.resilience.CompressionBreaker;
import io.github.compressredis.core.stats.WriteOutcome;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * A {@link RedisSerializer} that writes objects as JSON with the application's Jackson 3
 * {@link JsonMapper} and compresses them like
 * {@link io.github.compressredis.core.CompressingRedisSerializer} does, in the same wire
 * format, but streams big values: with zstd, the JSON is written into fixed-size chunks
 * and compressed from them (never one array of its full size), and a stored value is
 * decoded straight into the parser. Before an object is returned, the decoded length and
 * the checksum are verified; a value whose bytes fail them is reported as a
 * {@link CompressedValueException} (the format's fault), even when the damage also broke
 * the JSON.
 * <p>
 * Values shorter than {@link #STREAMING_THRESHOLD}, other algorithms, values written with
 * a trained dictionary, and writes the breaker degrades take the byte-array path of the
 * {@link ValueCompressor}; either path reads what the other writes.
 *
 * @param <T> the type of the values
 * @author compress-redis contributors
 */
public final class JsonCompressingRedisSerializer<T> implements RedisSerializer<T> {

	/**
	 * Values of at least this many bytes of JSON stream; smaller ones are cheaper as one
	 * array.
	 */
	public static final int STREAMING_THRESHOLD = 256 * 1024;

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

	public ValueCompressor getCompressor() {
		return this.compressor;
	}

	@Override
	public byte[] serialize(@Nullable T value) {
		if (value == null) {
			return EMPTY;
		}
		ChunkedOutputStream json = new ChunkedOutputStream();
		try {
			this.mapper.writeValue(json, value);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Could not write JSON: " + ex.getMessage(), ex);
		}
		long length = json.length();
		CompressionPolicy policy = this.compressor.getPolicies().policyForWrite();
		// FORMAT.md section 4 as the compressor applies it; no JSON text begins with the
		// signature of
		// a compressed format, nor with the magic, so neither check applies to the
		// streamed path
		if (length < STREAMING_THRESHOLD || length < policy.minSize() || length > policy.maxDecompressedSize()
				|| policy.algorithm() != Algorithm.ZSTD || this.compressor.getDictionaryTarget() != null) {
			return this.compressor.compress(json.toByteArray());
		}
		CompressionBreaker breaker = this.compressor.getBreaker();
		Admission admission = (breaker != null) ? breaker.admit() : Admission.NORMAL;
		if (admission != Admission.NORMAL) {
			// the degraded paths (a faster level, or plain) are the compressor's
			return this.compressor.compress(json.toByteArray());
		}
		return streamCompress(json, (int) length, policy, breaker);
	}

	private byte[] streamCompress(ChunkedOutputStream json, int length, CompressionPolicy policy,
			@Nullable CompressionBreaker breaker) {
		long start = (breaker != null) ? breaker.now() : System.nanoTime();
		try {
			int version = policy.writeVersion();
			boolean checksum = policy.checksum();
			int headerLength = WireFormat.headerLength(version, length, 0, checksum);
			long maxStored = (long) Math.floor(length * policy.maxRatio());
			byte[] stored = (maxStored > headerLength)
					? ZstdStreams.compress(json, policy.level(), headerLength, (int) (maxStored - headerLength)) : null;
			long end = (breaker != null) ? breaker.now() : System.nanoTime();
			if (breaker != null) {
				// never one of the breaker's cost samples (those compare one-shot codec
				// calls)
				breaker.onCompressed(Admission.NORMAL, Algorithm.ZSTD, policy.level(), length, start, end,
						CompressionBreaker.NOT_MEASURED, CompressionBreaker.NOT_MEASURED);
			}
			if (stored == null) {
				// JSON never begins with the magic (C1 8D is not UTF-8), so plain needs
				// no escape
				byte[] plain = json.toByteArray();
				this.compressor.getStats()
					.recordWrite(WriteOutcome.NOT_WORTH_IT, Algorithm.ZSTD, length, length, end - start);
				return plain;
			}
			WireFormat.writeHeader(version, stored, Algorithm.ZSTD.id(), length, checksum, json::update);
			this.compressor.getStats()
				.recordWrite(WriteOutcome.COMPRESSED, Algorithm.ZSTD, length, stored.length, end - start);
			return stored;
		}
		catch (RuntimeException ex) {
			if (breaker != null) {
				breaker.onFailed(Admission.NORMAL, breaker.now(), ex);
			}
			// the compressor's path stores the value plain and records the failure if it
			// fails again
			return this.compressor.compress(json.toByteArray());
		}
	}

	@Override
	public @Nullable T deserialize(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length == 0) {
			return null;
		}
		Header header = streamableHeader(bytes);
		if (header == null) {
			return parse(this.compressor.decompress(bytes));
		}
		return streamDecompress(bytes, header);
	}

	/**
	 * Return the header of a value this serializer decodes as a stream, or {@code null}
	 * for any other value, including one with a fault the compressor then reports in its
	 * own words.
	 * @param bytes the stored value
	 * @return the header, or {@code null}
	 */
	private @Nullable Header streamableHeader(byte[] bytes) {
		if (!WireFormat.isFramed(bytes)) {
			return null;
		}
		try {
			Header header = WireFormat.parse(bytes);
			if (header.codecId() != Algorithm.ZSTD.id() || header.dictionaryId() != 0
					|| header.originalLength() < STREAMING_THRESHOLD
					|| header.originalLength() > this.compressor.getPolicies().policy().maxDecompressedSize()) {
				return null;
			}
			if (header.hasHeaderCheck() && !header.checksumPresent()
					&& WireFormat.check(bytes, header.checkOffset(), 0, 0, null) != header.checksum()) {
				return null;
			}
			this.compressor.getCodecs()
				.codec(Algorithm.ZSTD)
				.checkDeclaredLength(bytes, header.payloadOffset(), header.payloadLength(bytes.length),
						header.originalLength());
			return header;
		}
		catch (WireFormatException | IllegalStateException ex) {
			return null;
		}
	}

	private T streamDecompress(byte[] bytes, Header header) {
		long start = System.nanoTime();
		CRC32C crc = null;
		if (header.checksumPresent()) {
			crc = new CRC32C();
			if (header.hasHeaderCheck()) {
				crc.update(bytes, 0, header.checkOffset());
			}
		}
		T value = null;
		RuntimeException parseFailure = null;
		VerifyingInputStream in = new VerifyingInputStream(
				ZstdStreams.decoder(bytes, header.payloadOffset(), header.payloadLength(bytes.length)),
				header.originalLength(), crc);
		try {
			try {
				value = this.mapper.readValue(in, this.type);
			}
			catch (RuntimeException ex) {
				parseFailure = ex;
			}
			in.drain();
			DecodeFault fault = in.fault();
			String message = in.faultMessage();
			if (fault == null && in.count() != header.originalLength()) {
				fault = DecodeFault.LENGTH_MISMATCH;
				message = "decoded to " + in.count() + " bytes but the header declares " + header.originalLength();
			}
			if (fault == null && crc != null && (int) crc.getValue() != header.checksum()) {
				fault = DecodeFault.CHECKSUM_MISMATCH;
				message = "the stored CRC-32C does not match "
						+ (header.hasHeaderCheck() ? "the header and the decoded bytes" : "the decoded bytes");
			}
			if (fault != null) {
				this.compressor.getStats().recordReadFailure(fault);
				throw new CompressedValueException(fault,
						"Cannot decode compressed Redis value (" + fault.tag() + "; codec zstd, declared size "
								+ header.originalLength() + " bytes, stored size " + bytes.length + " bytes): "
								+ message,
						(parseFailure != null) ? parseFailure : in.cause());
			}
		}
		finally {
			in.release();
		}
		if (parseFailure != null) {
			throw new SerializationException("Could not read JSON: " + parseFailure.getMessage(), parseFailure);
		}
		this.compressor.getStats()
			.recordDecompressed(Algorithm.ZSTD, bytes.length, header.originalLength(), System.nanoTime() - start);
		return value;
	}

	private @Nullable T parse(byte[] json) {
		try {
			return this.mapper.readValue(json, this.type);
		}
		catch (JacksonException ex) {
			throw new SerializationException("Could not read JSON: " + ex.getMessage(), ex);
		}
	}

	@Override
	public Class<?> getTargetType() {
		return this.type.getRawClass();
	}

	/**
	 * The decoded bytes on their way to the parser: counted, fed to the checksum, and cut
	 * off (as a fault) at the first byte past the declared length or the first decoding
	 * error.
	 */
	private static final class VerifyingInputStream extends InputStream {

		private final InputStream decoded;

		private final int declaredLength;

		private final @Nullable CRC32C crc;

		private long count;

		private @Nullable DecodeFault fault;

		private @Nullable String faultMessage;

		private @Nullable Throwable cause;

		VerifyingInputStream(InputStream decoded, int declaredLength, @Nullable CRC32C crc) {
			this.decoded = decoded;
			this.declaredLength = declaredLength;
			this.crc = crc;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (this.fault != null) {
				throw new IOException("the value cannot be decoded: " + this.faultMessage);
			}
			int n;
			try {
				n = this.decoded.read(buffer, offset, length);
			}
			catch (IOException | RuntimeException ex) {
				fail(DecodeFault.CORRUPT, "zstd payload cannot be decoded: " + ex.getMessage(), ex);
				throw new IOException("the value cannot be decoded: " + this.faultMessage, ex);
			}
			if (n > 0) {
				this.count += n;
				if (this.count > this.declaredLength) {
					fail(DecodeFault.LENGTH_MISMATCH,
							"decodes to more than the " + this.declaredLength + " bytes the header declares", null);
					throw new IOException(this.faultMessage);
				}
				if (this.crc != null) {
					this.crc.update(buffer, offset, n);
				}
			}
			return n;
		}

		/**
		 * Read what the parser left, so that the length and checksum cover every byte.
		 */
		void drain() {
			byte[] rest = new byte[8192];
			try {
				while (this.fault == null && read(rest, 0, rest.length) >= 0) {
					// counted and checked by read
				}
			}
			catch (IOException ex) {
				// recorded as the fault
			}
		}

		private void fail(DecodeFault fault, String message, @Nullable Throwable cause) {
			if (this.fault == null) {
				this.fault = fault;
				this.faultMessage = message;
				this.cause = cause;
			}
		}

		long count() {
			return this.count;
		}

		@Nullable DecodeFault fault() {
			return this.fault;
		}

		@Nullable String faultMessage() {
			return this.faultMessage;
		}

		@Nullable Throwable cause() {
			return this.cause;
		}

		/**
		 * The parser closes its source once it has read a value: the rest is still
		 * drained.
		 */
		@Override
		public void close() {
		}

		void release() {
			try {
				this.decoded.close();
			}
			catch (IOException ex) {
				// nothing to release that matters: the payload is in memory
			}
		}

	}

}
