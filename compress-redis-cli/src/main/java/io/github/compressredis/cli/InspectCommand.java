package io.github.compressredis.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.foreign.ForeignFormat;
import io.github.compressredis.core.internal.format.Header;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code inspect KEY}: what a value is and, with {@code --raw}, its decoded bytes.
 *
 * @author compress-redis contributors
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
		description = { "Show what a value is: format, codec, sizes, checksum, TTL and MEMORY USAGE.",
				"With --raw, write its decoded bytes (what the application's serializer wrote) to stdout." })
final class InspectCommand extends RedisCommand {

	@Parameters(index = "0", paramLabel = "KEY", description = "The key (a string, or a hash with --field).")
	String key = "";

	@Option(names = "--field", paramLabel = "FIELD", description = "Inspect this field of a hash.")
	String field;

	@Option(names = "--raw", description = "Write only the decoded bytes to stdout (nothing else).")
	boolean raw;

	@Override
	public Integer call() {
		try (RedisEndpoint endpoint = RedisEndpoint.connect(this.redis); CodecRegistry codecs = new CodecRegistry()) {
			RedisClusterCommands<byte[], byte[]> commands = endpoint.commands();
			byte[] keyBytes = this.key.getBytes(StandardCharsets.UTF_8);
			byte[] stored;
			String type;
			long ttl;
			Long memory;
			try {
				type = commands.type(keyBytes);
				stored = (this.field != null) ? commands.hget(keyBytes, this.field.getBytes(StandardCharsets.UTF_8))
						: "string".equals(type) ? commands.get(keyBytes) : null;
				ttl = commands.pttl(keyBytes);
				memory = commands.memoryUsage(keyBytes);
			}
			catch (RuntimeException ex) {
				throw RedisEndpoint.RedisErrors.translate(ex, endpoint.display());
			}
			if (stored == null) {
				String what = "none".equals(type) ? "does not exist"
						: (this.field != null) ? "has no field '" + this.field + "'"
								: "is a " + type + ", not a string (use --field for a hash field)";
				throw new CliException(1, "Key '" + this.key + "' " + what);
			}
			Set<ForeignFormat> formats = ForeignFormat.withMagic();
			formats.addAll(this.redis.foreignFormats());
			ValueReader.Reading reading = new ValueReader(codecs, formats, this.redis.maxDecompressedSize,
					endpoint.dictionaries(this.redis, this.redis.dictionaryPrefix))
				.read(stored);
			if (this.raw) {
				if (reading.original() == null) {
					throw new CliException(1, "Key '" + this.key + "' cannot be decoded: " + reading.error());
				}
				try {
					this.out.write(reading.original());
					this.out.flush();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				return 0;
			}
			describe(type, stored, reading, ttl, memory);
			return (reading.original() != null) ? 0 : 1;
		}
	}

	private void describe(String type, byte[] stored, ValueReader.Reading reading, long ttl, Long memory) {
		PrintStream out = this.out;
		out.println("key:          " + this.key + ((this.field != null) ? " (field " + this.field + ")" : ""));
		out.println("type:         " + type);
		out.println("ttl:          " + ((ttl >= 0) ? String.format(Locale.ROOT, "%.3f s", ttl / 1000.0)
				: (ttl == -1) ? "none" : "key gone"));
		out.println("format:       " + describeFormat(reading));
		out.println("codec:        " + ((reading.codec() != null) ? reading.codec() : "none")
				+ ((reading.kind() == ValueReader.Kind.COMPRESS_REDIS) ? " (level not recorded in the value)" : ""));
		Header header = reading.header();
		if (header != null) {
			out.println("dictionary:   " + ((header.dictionaryId() != 0) ? "id " + header.dictionaryId() : "none"));
		}
		out.println(String.format(Locale.ROOT, "stored:       %,d bytes", stored.length));
		byte[] original = reading.original();
		if (original != null) {
			out.println(String.format(Locale.ROOT, "original:     %,d bytes (stored/original %.3f)", original.length,
					(original.length > 0) ? (double) stored.length / original.length : 1.0));
		}
		if (header != null) {
			out.println(
					"checksum:     " + (!header.checksumPresent() ? "none stored" : String.format("CRC-32C %08x, %s",
							header.checksum(), (original != null) ? "ok" : "not checked: the value does not decode")));
		}
		if (memory != null) {
			out.println(String.format(Locale.ROOT, "memory usage: %,d bytes", memory));
		}
		if (reading.error() != null) {
			out.println("error:        " + reading.error());
		}
		else if (original != null) {
			out.println("preview:      " + preview(original));
		}
	}

	private static String describeFormat(ValueReader.Reading reading) {
		return switch (reading.kind()) {
			case PLAIN -> "plain (the application's bytes as they are)";
			case COMPRESS_REDIS -> "compress-redis, version " + reading.header().version();
			case FOREIGN -> reading.format() + " (foreign, read-only)";
			case UNREADABLE -> reading.format() + ", does not decode";
		};
	}

	private static String preview(byte[] original) {
		int n = Math.min(original.length, 120);
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < n; i++) {
			int b = original[i] & 0xFF;
			text.append((b >= 0x20 && b < 0x7F) ? Character.toString(b) : String.format("\\x%02x", b));
		}
		return text + ((original.length > n) ? "..." : "");
	}

}
