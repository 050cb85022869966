package io.github.compressredis.autoconfigure.commands;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * Thrown when a command that works on a value's bytes inside Redis ({@code APPEND},
 * {@code SETRANGE}, the bit commands, the {@code INCR} family) meets a value stored
 * compressed: it would return a wrong answer or make the value unreadable, so it is
 * refused and nothing changes.
 *
 * @author compress-redis contributors
 */
public class CompressedValueCommandException extends InvalidDataAccessApiUsageException {

	private final String command;

	private final String key;

	/**
	 * Create an exception for a refused command.
	 * @param command the Redis command, for example {@code APPEND}
	 * @param key the key, as printable text
	 * @param cause the error Redis answered, if any
	 */
	public CompressedValueCommandException(String command, String key, @Nullable Throwable cause) {
		super(message(command, key), cause);
		this.command = command;
		this.key = key;
	}

	/**
	 * Return the refused Redis command.
	 * @return the command name
	 */
	public String getCommand() {
		return this.command;
	}

	/**
	 * Return the key the command was refused on.
	 * @return the key as printable text
	 */
	public String getKey() {
		return this.key;
	}

	static String message(String command, String key) {
		return command + " refused on key '" + key + "': its value is stored compressed, and " + command
				+ " would work on the compressed bytes. Keep values this command works on plain: list the template in "
				+ "compress.redis.template.exclude, or keep such values below compress.redis.min-size";
	}

}
