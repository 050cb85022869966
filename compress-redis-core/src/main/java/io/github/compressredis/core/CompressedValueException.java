package io.github.compressredis.core;

import io.github.compressredis.core.format.DecodeFault;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.serializer.SerializationException;

/**
 * A framed value that could not be decoded. Its message names the codec, the declared
 * size, the stored size and the fault; the value is never returned in part.
 *
 * @author compress-redis contributors
 */
public class CompressedValueException extends SerializationException {

	private static final long serialVersionUID = 1L;

	private final DecodeFault fault;

	public CompressedValueException(DecodeFault fault, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.fault = fault;
	}

	/**
	 * Return what went wrong.
	 * @return the fault
	 */
	public DecodeFault getFault() {
		return this.fault;
	}

}
