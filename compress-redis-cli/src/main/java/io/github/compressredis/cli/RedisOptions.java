package io.github.compressredis.cli;

import java.util.Set;

import io.github.compressredis.core.foreign.ForeignFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.lettuce.core.RedisURI;
import picocli.CommandLine.Option;

/**
 * Where the Redis is and how to reach it; shared by every command.
 *
 * @author compress-redis contributors
 */
class RedisOptions {

	@Option(names = { "-u", "--uri" }, defaultValue = "redis://127.0.0.1:6379", paramLabel = "URI",
			description = { "Redis to connect to (default: ${DEFAULT-VALUE}):",
					"  redis://[[user]:password@]host[:port][/db]", "  rediss://... for TLS",
					"  redis-sentinel://[[user]:password@]host[:port][,host2[:port2]][/db]#masterName" })
	String uri = "redis://127.0.0.1:6379";

	@Option(names = "--cluster", description = "Connect to a Redis Cluster; commands that scan visit every master.")
	boolean cluster;

	@Option(names = "--foreign", paramLabel = "FORMATS", defaultValue = "none",
			description = { "Foreign formats to read (comma-separated): glide, gzip, zstd-frame, lettuce-deflate,",
					"redisson-lz4, redisson-zstd; 'none' (default). inspect and advise always recognise the",
					"formats with a magic number; Redisson's have none and are read only when named here." })
	String foreign = "none";

	@Option(names = "--max-decompressed-size", paramLabel = "BYTES",
			description = "Refuse to decode a value declaring more than this (default: 64 MiB).")
	int maxDecompressedSize = CompressionPolicy.DEFAULT_MAX_DECOMPRESSED_SIZE;

	@Option(names = "--dictionary-prefix", defaultValue = "compress-redis:dict:", paramLabel = "PREFIX", description = {
			"Where compress-redis's trained dictionaries are (compress.redis.dictionary.prefix,",
			"default: ${DEFAULT-VALUE}): values written with one are decoded with it; migrate never converts these keys." })
	String dictionaryPrefix = "compress-redis:dict:";

	RedisURI redisUri() {
		RedisURI parsed;
		try {
			parsed = RedisURI.create(this.uri);
		}
		catch (RuntimeException ex) {
			throw badUri(ex.getMessage());
		}
		if (parsed.getHost() == null && parsed.getSentinels().isEmpty() && parsed.getSocket() == null) {
			throw badUri("no host");
		}
		return parsed;
	}

	Set<ForeignFormat> foreignFormats() {
		try {
			return ForeignFormat.parse(this.foreign);
		}
		catch (IllegalArgumentException ex) {
			throw new CliException(CliException.USAGE, "--foreign: " + ex.getMessage());
		}
	}

	/**
	 * The URI with its password masked, for messages.
	 * @return the URI without its password
	 */
	String display() {
		return this.uri.replaceAll("(://[^:@/]*:)[^@]*@", "$1***@");
	}

	private CliException badUri(String why) {
		return new CliException(CliException.USAGE,
				"Bad --uri '" + display() + "': " + why
						+ ". Expected redis://[[user]:password@]host[:port][/db], rediss://... (TLS) or "
						+ "redis-sentinel://[[user]:password@]host[:port][,host:port]/[db]#masterName");
	}

}
