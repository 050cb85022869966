package io.github.compressredis.embedded;

/**
 * An error reply from a Redis server; the message is the server's own (for example {@code MOVED 866 127.0.0.1:7001}).
 */
public final class RespException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception carrying the server's error message.
	 * @param message the error line sent by the server, without the leading {@code -}
	 */
	public RespException(String message) {
		super(message);
	}

	/**
	 * Returns the first word of the error, such as {@code ERR}, {@code MOVED} or {@code WRONGTYPE}.
	 * @return the error prefix
	 */
	public String prefix() {
		String message = getMessage();
		int space = message.indexOf(' ');
		return space < 0 ? message : message.substring(0, space);
	}

	@Override
	public String getMessage() {
		String message = super.getMessage();
		return message == null ? "" : message;
	}
}
