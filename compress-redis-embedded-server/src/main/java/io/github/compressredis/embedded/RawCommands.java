package io.github.compressredis.embedded;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import org.jspecify.annotations.Nullable;

/**
 * Sends any Redis command, given as words, through Lettuce's {@code dispatch}; replies
 * keep RESP2 shapes.
 *
 * @author compress-redis contributors
 */
final class RawCommands {

	/** Connect and command timeout of the connections made here. */
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private RawCommands() {
	}

	/**
	 * Options for the clients of this module: RESP2 (so replies are lists, never RESP3
	 * maps), no automatic reconnect (a connection to a stopped server fails at once; the
	 * caller opens a new one).
	 * @return the client options
	 */
	static ClientOptions clientOptions() {
		return ClientOptions.builder()
			.protocolVersion(ProtocolVersion.RESP2)
			.autoReconnect(false)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
			.build();
	}

	static RedisURI uri(int port, Duration timeout) {
		return RedisURI.builder().withHost(RedisServerProcess.HOST).withPort(port).withTimeout(timeout).build();
	}

	/**
	 * Runs one command.
	 * @param commands where to send it
	 * @param args the command name and arguments, each a {@link CharSequence} (sent as
	 * UTF-8), {@code byte[]} or {@link Number}
	 * @return the reply: {@code byte[]} (status or bulk string, {@code null} for nil),
	 * {@link Long} (integer) or a {@code List} of those (array)
	 */
	static @Nullable Object run(RedisCommands<byte[], byte[]> commands, Object... args) {
		Objects.requireNonNull(args, "'args' must not be null");
		if (args.length == 0) {
			throw new IllegalArgumentException("'args' must contain at least the command name");
		}
		CommandArgs<byte[], byte[]> commandArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE);
		for (int i = 1; i < args.length; i++) {
			commandArgs.add(toBytes(args[i]));
		}
		return commands.dispatch(keyword(args[0]), new ReplyOutput(), commandArgs);
	}

	/**
	 * Runs one command and returns its reply as text: bulk strings decoded as UTF-8,
	 * integers in decimal.
	 * @param commands where to send it
	 * @param args the command name and arguments, as for
	 * {@link #run(RedisCommands, Object...)}
	 * @return the reply text, or {@code null} for a nil reply
	 * @throws IllegalStateException if the reply is an array
	 */
	static @Nullable String runForText(RedisCommands<byte[], byte[]> commands, Object... args) {
		Object reply = run(commands, args);
		if (reply == null) {
			return null;
		}
		if (reply instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		if (reply instanceof Long number) {
			return number.toString();
		}
		throw new IllegalStateException("Reply to " + args[0] + " is an array, not a string");
	}

	private static ProtocolKeyword keyword(Object name) {
		String word = new String(toBytes(name), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
		try {
			return CommandType.valueOf(word);
		}
		catch (IllegalArgumentException ex) {
			byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
			return new ProtocolKeyword() {

				@Override
				public byte[] getBytes() {
					return bytes;
				}

				@Override
				public String toString() {
					return word;
				}

			};
		}
	}

	private static byte[] toBytes(@Nullable Object arg) {
		if (arg instanceof byte[] bytes) {
			return bytes;
		}
		if (arg instanceof CharSequence || arg instanceof Number) {
			return arg.toString().getBytes(StandardCharsets.UTF_8);
		}
		throw new IllegalArgumentException("'args' must be String, byte[] or Number but got "
				+ ((arg != null) ? arg.getClass().getName() : "null"));
	}

	/**
	 * Keeps a reply in its RESP2 shape: status replies and bulk strings as {@code byte[]}
	 * (Lettuce hands both over the same way), integers as {@link Long} and arrays as
	 * lists, nested as sent. (Lettuce's {@code ObjectOutput} cannot hold a reply that is
	 * not an array.)
	 */
	private static final class ReplyOutput extends CommandOutput<byte[], byte[], @Nullable Object> {

		private final Deque<List<@Nullable Object>> open = new ArrayDeque<>();

		private final Deque<Integer> expected = new ArrayDeque<>();

		ReplyOutput() {
			super(ByteArrayCodec.INSTANCE, null);
		}

		@Override
		public void set(@Nullable ByteBuffer bytes) {
			add((bytes != null) ? ByteArrayCodec.INSTANCE.decodeValue(bytes) : null);
		}

		@Override
		public void set(long integer) {
			add(integer);
		}

		@Override
		public void multi(int count) {
			if (count < 0) {
				add(null);
				return;
			}
			List<@Nullable Object> list = new ArrayList<>(count);
			add(list);
			if (count > 0) {
				this.open.push(list);
				this.expected.push(count);
			}
		}

		private void add(@Nullable Object value) {
			if (this.open.isEmpty()) {
				this.output = value;
				return;
			}
			this.open.peek().add(value);
			while (!this.open.isEmpty() && this.open.peek().size() == this.expected.peek()) {
				this.open.pop();
				this.expected.pop();
			}
		}

	}

}
