package io.github.compressredis.embedded;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A tiny blocking RESP2 client for one Redis server on 127.0.0.1; not thread-safe.
 * Replies map to {@link String} (simple string), {@link Long} (integer), {@code byte[]} (bulk string, {@code null}
 * for nil) and {@code List<Object>} (array, {@code null} for a nil array); an error reply throws {@link RespException}
 * (inside an array it appears as a {@link RespException} element instead).
 */
public final class RespConnection implements AutoCloseable {

	/** Host every connection goes to. */
	public static final String HOST = "127.0.0.1";

	/** Default connect and read timeout. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final byte[] CRLF = { '\r', '\n' };

	private final int port;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	/**
	 * Connects to {@code 127.0.0.1:port} with the default 10 s connect and read timeouts.
	 * @param port the server port
	 */
	public RespConnection(int port) {
		this(port, DEFAULT_TIMEOUT);
	}

	/**
	 * Connects to {@code 127.0.0.1:port} with the given connect and read timeout.
	 * @param port the server port
	 * @param timeout connect and read timeout
	 */
	public RespConnection(int port, Duration timeout) {
		if (port <= 0 || port > 65535) {
			throw new IllegalArgumentException("'port' must be between 1 and 65535 but was " + port);
		}
		Objects.requireNonNull(timeout, "'timeout' must not be null");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("'timeout' must be positive but was " + timeout);
		}
		int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
		this.port = port;
		this.socket = new Socket();
		try {
			this.socket.setTcpNoDelay(true);
			this.socket.setSoTimeout(millis);
			this.socket.connect(new InetSocketAddress(FreePorts.loopback(), port), millis);
			this.in = new BufferedInputStream(this.socket.getInputStream(), 64 * 1024);
			this.out = new BufferedOutputStream(this.socket.getOutputStream(), 64 * 1024);
		}
		catch (IOException ex) {
			closeQuietly();
			throw new UncheckedIOException("Cannot connect to " + HOST + ":" + port + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Returns the port this connection talks to.
	 * @return the server port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Sends one command and reads its reply.
	 * @param args the command name and arguments, each a {@link CharSequence} (sent as UTF-8), {@code byte[]} or
	 * {@link Number}
	 * @return the reply: {@link String}, {@link Long}, {@code byte[]}, {@code List<Object>} or {@code null}
	 * @throws RespException if the server answers with an error
	 * @throws UncheckedIOException if the connection fails or times out
	 */
	public @Nullable Object command(Object... args) {
		Objects.requireNonNull(args, "'args' must not be null");
		if (args.length == 0) {
			throw new IllegalArgumentException("'args' must contain at least the command name");
		}
		byte[][] encoded = new byte[args.length][];
		for (int i = 0; i < args.length; i++) {
			encoded[i] = toBytes(args[i]);
		}
		try {
			writeCommand(encoded);
			this.out.flush();
			Object reply = readReply();
			if (reply instanceof RespException error) {
				throw new RespException(error.getMessage());
			}
			return reply;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Redis command " + describe(args[0]) + " to " + HOST + ":" + this.port
					+ " failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Sends one command and returns its reply as text: bulk strings decoded as UTF-8, integers in decimal.
	 * @param args the command name and arguments, as for {@link #command(Object...)}
	 * @return the reply text, or {@code null} for a nil reply
	 * @throws IllegalStateException if the reply is an array
	 */
	public @Nullable String commandString(Object... args) {
		Object reply = command(args);
		if (reply == null || reply instanceof String) {
			return (String) reply;
		}
		if (reply instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		if (reply instanceof Long number) {
			return number.toString();
		}
		throw new IllegalStateException("Reply to " + describe(args[0]) + " is an array, not a string");
	}

	/**
	 * Closes the socket; never throws.
	 */
	@Override
	public void close() {
		closeQuietly();
	}

	private void writeCommand(byte[][] args) throws IOException {
		this.out.write('*');
		writeNumber(args.length);
		for (byte[] bytes : args) {
			this.out.write('$');
			writeNumber(bytes.length);
			this.out.write(bytes);
			this.out.write(CRLF);
		}
	}

	private void writeNumber(long number) throws IOException {
		this.out.write(Long.toString(number).getBytes(StandardCharsets.US_ASCII));
		this.out.write(CRLF);
	}

	private static byte[] toBytes(@Nullable Object arg) {
		if (arg instanceof byte[] bytes) {
			return bytes;
		}
		if (arg instanceof CharSequence || arg instanceof Number) {
			return arg.toString().getBytes(StandardCharsets.UTF_8);
		}
		throw new IllegalArgumentException(
				"'args' must be String, byte[] or Number but got " + (arg == null ? "null" : arg.getClass().getName()));
	}

	private @Nullable Object readReply() throws IOException {
		int type = this.in.read();
		if (type < 0) {
			throw new EOFException("connection closed by the server");
		}
		switch (type) {
			case '+':
				return readLine();
			case '-':
				return new RespException(readLine());
			case ':':
				return parseLong(readLine());
			case '$': {
				long length = parseLong(readLine());
				if (length < 0) {
					return null;
				}
				if (length > Integer.MAX_VALUE - 8) {
					throw new IOException("bulk string too large: " + length);
				}
				byte[] bytes = this.in.readNBytes((int) length);
				if (bytes.length != length) {
					throw new EOFException("connection closed inside a bulk string");
				}
				expectCrlf();
				return bytes;
			}
			case '*': {
				long count = parseLong(readLine());
				if (count < 0) {
					return null;
				}
				List<@Nullable Object> items = new ArrayList<>((int) Math.min(count, 1024));
				for (long i = 0; i < count; i++) {
					items.add(readReply());
				}
				return Collections.unmodifiableList(items);
			}
			default:
				throw new IOException("unexpected RESP type byte 0x" + Integer.toHexString(type));
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream(32);
		while (true) {
			int b = this.in.read();
			if (b < 0) {
				throw new EOFException("connection closed inside a reply line");
			}
			if (b == '\r') {
				int next = this.in.read();
				if (next != '\n') {
					throw new IOException("expected LF after CR but got " + next);
				}
				return line.toString(StandardCharsets.UTF_8);
			}
			line.write(b);
		}
	}

	private void expectCrlf() throws IOException {
		if (this.in.read() != '\r' || this.in.read() != '\n') {
			throw new IOException("expected CRLF after a bulk string");
		}
	}

	private static long parseLong(String text) throws IOException {
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			throw new IOException("malformed RESP number '" + text + "'", ex);
		}
	}

	private static String describe(Object arg) {
		return arg instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(arg);
	}

	private void closeQuietly() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// nothing useful to do
		}
	}
}
