package io.github.compressredis.autoconfigure.commands;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.internal.format.WireFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.BitFieldSubCommands;
import org.springframework.data.redis.connection.BitFieldSubCommands.BitFieldGet;
import org.springframework.data.redis.connection.BitFieldSubCommands.BitFieldIncrBy;
import org.springframework.data.redis.connection.BitFieldSubCommands.BitFieldSet;
import org.springframework.data.redis.connection.BitFieldSubCommands.BitFieldSubCommand;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands.BitOperation;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.ClassUtils;

/**
 * Handles every call on a connection (and on the command interfaces it hands out) of a
 * template compress-redis wraps: canonical members on the way in, and the guarded
 * commands answered or refused. Everything else goes to the connection unchanged.
 *
 * @author compress-redis contributors
 */
final class CommandInterceptor extends ForwardingHandler {

	private static final Object NOT_GUARDED = new Object();

	private final RedisConnection connection;

	private final ValueCompressor compressor;

	private final Members members;

	private CommandInterceptor(Object target, RedisConnection connection, ValueCompressor compressor, Members members) {
		super(target);
		this.connection = connection;
		this.compressor = compressor;
		this.members = members;
	}

	/**
	 * Return a proxy of the connection that implements every interface it does.
	 * @param <C> the connection type
	 * @param connection the connection the client factory returned
	 * @param compressor the compressor that decodes frames
	 * @return the guarded connection
	 */
	@SuppressWarnings("unchecked")
	static <C extends RedisConnection> C guard(C connection, ValueCompressor compressor) {
		Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(connection.getClass(),
				connection.getClass().getClassLoader());
		return (C) Proxy.newProxyInstance(connection.getClass().getClassLoader(), interfaces,
				new CommandInterceptor(connection, connection, compressor, new Members(compressor)));
	}

	@Override
	@Nullable Object handle(String name, Method method, Object[] args) throws Throwable {
		if (args.length == 0) {
			Object result = (name.equals("closePipeline") || name.equals("exec")) ? deferredResults(method, args)
					: forward(method, args);
			if (result != null && name.endsWith("Commands") && method.getReturnType().isInterface()
					&& method.getReturnType().isInstance(result)) {
				// stringCommands(), setCommands(), ...: the same guards on the command
				// interface
				return Proxy.newProxyInstance(result.getClass().getClassLoader(),
						new Class<?>[] { method.getReturnType() },
						new CommandInterceptor(result, this.connection, this.compressor, this.members));
			}
			return result;
		}
		Object[] canonical = this.members.canonicalize(name, args);
		Object guarded = guarded(name, method, canonical);
		return (guarded != NOT_GUARDED) ? guarded : forward(method, canonical);
	}

	/**
	 * A pipeline or transaction in which a guard refused a command fails with that
	 * refusal.
	 * @param method the method that ends the pipeline or transaction
	 * @param args the method's arguments
	 * @return the results of the pipeline or transaction
	 */
	private @Nullable Object deferredResults(Method method, Object[] args) throws Throwable {
		try {
			return forward(method, args);
		}
		catch (RuntimeException ex) {
			CompressedValueCommandException refusal = GuardScript.refusal(ex);
			throw (refusal != null) ? refusal : ex;
		}
	}

	private @Nullable Object guarded(String name, Method method, Object[] args) throws Throwable {
		return switch (name) {
			case "strLen" -> strLen((byte[]) args[0]);
			case "hStrLen" -> hStrLen((byte[]) args[0], (byte[]) args[1]);
			case "getRange" -> getRange((byte[]) args[0], (long) args[1], (long) args[2]);
			case "append" -> guard("APPEND", ReturnType.INTEGER, key(args), args[1]);
			case "setRange" -> {
				guard("SETRANGE", ReturnType.INTEGER, key(args), args[2], args[1]);
				yield null;
			}
			case "setBit" -> guard("SETBIT", ReturnType.BOOLEAN, key(args), args[1], bit((boolean) args[2]));
			case "getBit" -> guard("GETBIT", ReturnType.BOOLEAN, key(args), args[1]);
			case "bitCount" -> (args.length == 3) ? guard("BITCOUNT", ReturnType.INTEGER, key(args), args[1], args[2])
					: guard("BITCOUNT", ReturnType.INTEGER, key(args));
			case "bitPos" -> bitPos(args);
			case "bitField" ->
				guard("BITFIELD", ReturnType.MULTI, key(args), bitFieldArguments((BitFieldSubCommands) args[1]));
			case "bitOp" -> bitOp((BitOperation) args[0], (byte[]) args[1], (byte[][]) args[2]);
			case "incr", "incrBy", "decr", "decrBy" -> numeric(method, args, incrCommand(name, args), false);
			case "hIncrBy" -> numeric(method, args, (args[2] instanceof Double) ? "HINCRBYFLOAT" : "HINCRBY", true);
			default -> NOT_GUARDED;
		};
	}

	private static String incrCommand(String name, Object[] args) {
		return switch (name) {
			case "incr" -> "INCR";
			case "decr" -> "DECR";
			case "decrBy" -> "DECRBY";
			default -> (args[1] instanceof Double) ? "INCRBYFLOAT" : "INCRBY";
		};
	}

	private static byte[][] key(Object[] args) {
		return new byte[][] { (byte[]) args[0] };
	}

	static byte[] bit(boolean value) {
		return value ? new byte[] { '1' } : new byte[] { '0' };
	}

	private boolean deferred() {
		return this.connection.isPipelined() || this.connection.isQueueing();
	}

	/**
	 * STRLEN answers the original length: from the header when the value is framed. In a
	 * pipeline or a transaction, where no answer can be computed here, a framed value is
	 * refused.
	 * @param key the key whose value is measured
	 * @return the original length, {@code null} inside a pipeline or transaction
	 */
	private @Nullable Long strLen(byte[] key) {
		try {
			return guard("STRLEN", ReturnType.INTEGER, new byte[][] { key });
		}
		catch (CompressedValueCommandException ex) {
			if (deferred()) {
				throw ex;
			}
			byte[] head = this.connection.stringCommands().getRange(key, 0, GuardScript.HEADER_PREFIX - 1);
			return (head != null && WireFormat.isFramed(head)) ? GuardScript.originalLength(head)
					: this.connection.stringCommands().strLen(key);
		}
	}

	private @Nullable Long hStrLen(byte[] key, byte[] field) {
		try {
			return evaluate("HSTRLEN", ReturnType.INTEGER, GuardScript.HSTRLEN, key, 1, new byte[][] { key, field });
		}
		catch (CompressedValueCommandException ex) {
			if (deferred()) {
				throw ex;
			}
			byte[] value = this.connection.hashCommands().hGet(key, field);
			if (value == null) {
				return 0L;
			}
			return WireFormat.isFramed(value) ? GuardScript.originalLength(value) : value.length;
		}
	}

	/**
	 * GETRANGE answers the slice of the original value: a framed value is read whole and
	 * decoded.
	 * @param key the key whose value is sliced
	 * @param start the first index, counted from the end if negative
	 * @param end the last index (inclusive), counted from the end if negative
	 * @return the slice, {@code null} inside a pipeline or transaction
	 */
	private byte @Nullable [] getRange(byte[] key, long start, long end) {
		try {
			return guard("GETRANGE", ReturnType.VALUE, new byte[][] { key }, start, end);
		}
		catch (CompressedValueCommandException ex) {
			if (deferred()) {
				throw ex;
			}
			byte[] stored = this.connection.stringCommands().get(key);
			return (stored != null) ? GuardScript.range(this.compressor.decompress(stored), start, end) : new byte[0];
		}
	}

	@SuppressWarnings("unchecked")
	private @Nullable Object bitPos(Object[] args) {
		Object bit = bit((boolean) args[1]);
		Range<Long> range = (args.length > 2) ? (Range<Long>) args[2] : Range.unbounded();
		Long start = range.getLowerBound().getValue().orElse(null);
		Long end = range.getUpperBound().getValue().orElse(null);
		if (start == null && end == null) {
			return guard("BITPOS", ReturnType.INTEGER, key(args), bit);
		}
		if (end == null) {
			return guard("BITPOS", ReturnType.INTEGER, key(args), bit, start);
		}
		return guard("BITPOS", ReturnType.INTEGER, key(args), bit, (start != null) ? start : 0L, end);
	}

	private @Nullable Object bitOp(BitOperation operation, byte[] destination, byte[][] sources) {
		byte[][] keys = new byte[sources.length + 1][];
		keys[0] = destination;
		System.arraycopy(sources, 0, keys, 1, sources.length);
		return evaluate("BITOP", ReturnType.INTEGER, GuardScript.GUARD, (sources.length > 0) ? sources[0] : destination,
				keys.length, GuardScript.keysAndArguments(keys, "BITOP", 2, operation.name()));
	}

	static Object[] bitFieldArguments(BitFieldSubCommands subCommands) {
		List<Object> arguments = new ArrayList<>();
		for (BitFieldSubCommand subCommand : subCommands) {
			if (subCommand instanceof BitFieldIncrBy incrBy && incrBy.getOverflow() != null) {
				arguments.add("OVERFLOW");
				arguments.add(incrBy.getOverflow().name());
			}
			arguments.add(subCommand.getCommand());
			arguments.add(subCommand.getType().asString());
			arguments.add(subCommand.getOffset().asString());
			if (subCommand instanceof BitFieldSet set) {
				arguments.add(set.getValue());
			}
			else if (subCommand instanceof BitFieldIncrBy incrBy) {
				arguments.add(incrBy.getValue());
			}
			else if (!(subCommand instanceof BitFieldGet)) {
				throw new IllegalArgumentException("Unknown BITFIELD subcommand " + subCommand.getCommand());
			}
		}
		return arguments.toArray();
	}

	/**
	 * Run a single-key command through the guard script: refused when the key's value is
	 * framed.
	 * @param <T> the type of the command's reply
	 * @param command the command, as named in a refusal
	 * @param type the reply type the script returns
	 * @param keys the key the command acts on, first
	 * @param trailing the command's arguments after the key
	 * @return the command's reply, {@code null} inside a pipeline or transaction
	 */
	private <T> @Nullable T guard(String command, ReturnType type, byte[][] keys, Object... trailing) {
		return evaluate(command, type, GuardScript.GUARD, keys[0], keys.length,
				GuardScript.keysAndArguments(keys, command, 1, null, trailing));
	}

	private <T> @Nullable T evaluate(String command, ReturnType type, byte[] script, byte[] key, int numKeys,
			byte[][] keysAndArgs) {
		try {
			return this.connection.scriptingCommands().eval(script, type, numKeys, keysAndArgs);
		}
		catch (RuntimeException ex) {
			CompressedValueCommandException refusal = GuardScript.refusal(ex);
			throw (refusal != null) ? new CompressedValueCommandException(command, printable(key), ex) : ex;
		}
	}

	private @Nullable Object numeric(Method method, Object[] args, String command, boolean hash) throws Throwable {
		try {
			return forward(method, args);
		}
		catch (RuntimeException ex) {
			// Redis refuses to count on a framed value (it is not a number) and changes
			// nothing:
			// only the message is ours
			if (!deferred() && framed((byte[]) args[0], hash ? (byte[]) args[1] : null)) {
				throw new CompressedValueCommandException(command, printable((byte[]) args[0]), ex);
			}
			throw ex;
		}
	}

	private boolean framed(byte[] key, byte @Nullable [] field) {
		try {
			byte[] value = (field != null) ? this.connection.hashCommands().hGet(key, field)
					: this.connection.stringCommands().getRange(key, 0, 1);
			return value != null && WireFormat.isFramed(value);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	static String printable(byte[] key) {
		try {
			return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(key)).toString();
		}
		catch (CharacterCodingException ex) {
			return "0x" + HexFormat.of().formatHex(key);
		}
	}

}
