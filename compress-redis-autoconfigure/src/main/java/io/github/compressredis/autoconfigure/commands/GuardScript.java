package io.github.compressredis.autoconfigure.commands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.compressredis.core.internal.format.WireFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisPipelineException;

/**
 * The Lua scripts that make a guard atomic: the check of a value's first two bytes
 * against the magic and the command run in one step, so nothing can compress the value in
 * between.
 *
 * @author compress-redis contributors
 */
final class GuardScript {

	/** The prefix of the error a script answers with when it refuses a command. */
	static final String REFUSED = "COMPRESSED";

	private static final String FIX = ": its value is stored compressed. Keep values this command works on plain: "
			+ "list the template in compress.redis.template.exclude, or keep such values below compress.redis.min-size";

	/**
	 * KEYS: the command's keys; ARGV: command, index of the first key to check, number of
	 * arguments that come before the keys, those arguments, then the arguments after the
	 * keys.
	 */
	static final byte[] GUARD = """
			local command, first, lead = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
			for i = first, #KEYS do
				if redis.call('GETRANGE', KEYS[i], 0, 1) == '\\193\\141' then
					return redis.error_reply("%1$s " .. command .. " refused on key '" .. KEYS[i] .. "'%2$s")
				end
			end
			local args = {}
			for i = 4, 3 + lead do args[#args + 1] = ARGV[i] end
			for i = 1, #KEYS do args[#args + 1] = KEYS[i] end
			for i = 4 + lead, #ARGV do args[#args + 1] = ARGV[i] end
			return redis.call(command, unpack(args))
			""".formatted(REFUSED, FIX).getBytes(StandardCharsets.UTF_8);

	/** KEYS: the hash; ARGV: the field. */
	static final byte[] HSTRLEN = """
			local value = redis.call('HGET', KEYS[1], ARGV[1])
			if not value then return 0 end
			if string.sub(value, 1, 2) == '\\193\\141' then
				return redis.error_reply("%1$s HSTRLEN refused on key '" .. KEYS[1] .. "'%2$s")
			end
			return string.len(value)
			""".formatted(REFUSED, FIX).getBytes(StandardCharsets.UTF_8);

	/**
	 * Bytes read to parse a header: more than the longest header of format version 1
	 * (18).
	 */
	static final int HEADER_PREFIX = 64;

	private GuardScript() {
	}

	/**
	 * Return the keys and arguments of the guard script for a command.
	 * @param keys the command's keys
	 * @param command the command
	 * @param firstChecked the index (from 1) of the first key whose value is checked
	 * @param lead an argument that comes before the keys (BITOP's operation), or
	 * {@code null}
	 * @param trailing the arguments after the keys; an {@code Object[]} is spread
	 * @return the keys followed by the script's arguments
	 */
	static byte[][] keysAndArguments(byte[][] keys, String command, int firstChecked, @Nullable String lead,
			Object... trailing) {
		List<byte[]> arguments = new ArrayList<>(Arrays.asList(keys));
		arguments.add(bytes(command));
		arguments.add(bytes(firstChecked));
		arguments.add(bytes((lead != null) ? 1 : 0));
		if (lead != null) {
			arguments.add(bytes(lead));
		}
		for (Object argument : trailing) {
			if (argument instanceof Object[] array) {
				Arrays.stream(array).forEach((element) -> arguments.add(bytes(element)));
			}
			else {
				arguments.add(bytes(argument));
			}
		}
		return arguments.toArray(new byte[0][]);
	}

	private static byte[] bytes(Object argument) {
		return (argument instanceof byte[] bytes) ? bytes : String.valueOf(argument).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return the original length a framed value declares in its header.
	 * @param head the value, or at least its first {@link #HEADER_PREFIX} bytes
	 * @return the original length
	 */
	static long originalLength(byte[] head) {
		return WireFormat.parse(head).originalLength();
	}

	/**
	 * Return the slice GETRANGE returns, with its rules for negative and out-of-range
	 * offsets.
	 * @param value the original value
	 * @param start the first offset, negative from the end
	 * @param end the last offset (inclusive), negative from the end
	 * @return the slice
	 */
	static byte[] range(byte[] value, long start, long end) {
		long length = value.length;
		long from = (start < 0) ? Math.max(0, length + start) : start;
		long to = (end < 0) ? length + end : Math.min(end, length - 1);
		if (length == 0 || to < 0 || from > to) {
			return new byte[0];
		}
		return Arrays.copyOfRange(value, (int) from, (int) to + 1);
	}

	/**
	 * Return the refusal an exception carries (a script's error reply, anywhere in its
	 * causes or, for a pipeline, its results), or {@code null}.
	 * @param ex the exception a command, a pipeline or a transaction raised
	 * @return the refusal, naming the command and the key, or {@code null}
	 */
	static @Nullable CompressedValueCommandException refusal(@Nullable Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof CompressedValueCommandException refusal) {
				return refusal;
			}
			String message = current.getMessage();
			int start = (message != null) ? message.indexOf(REFUSED + " ") : -1;
			if (start >= 0) {
				String text = message.substring(start + REFUSED.length() + 1);
				int command = text.indexOf(" refused on key '");
				int key = text.lastIndexOf("'" + FIX);
				if (command > 0 && key > command) {
					return new CompressedValueCommandException(text.substring(0, command),
							text.substring(command + " refused on key '".length(), key), ex);
				}
			}
			if (current instanceof RedisPipelineException pipeline) {
				for (Object result : pipeline.getPipelineResult()) {
					CompressedValueCommandException refusal = (result instanceof Throwable failure) ? refusal(failure)
							: null;
					if (refusal != null) {
						return refusal;
					}
				}
			}
		}
		return null;
	}

}
