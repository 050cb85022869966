package io.github.compressredis.core.internal.format;

import io.github.compressredis.core.format.DecodeFault;

/**
 * Thrown when a framed value violates the wire format or cannot be decoded.
 *
 * @author compress-redis contributors
 */
public class WireFormatException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final DecodeFault fault;

	public WireFormatException(DecodeFault fault, String message) {
		super(message);
		this.fault = fault;
	}

	public WireFormatException(DecodeFault fault, String message, Throwable cause) {
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
