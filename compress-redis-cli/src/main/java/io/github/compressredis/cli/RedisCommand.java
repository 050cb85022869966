package io.github.compressredis.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;

/**
 * What every command has: the Redis options and the streams it writes to.
 *
 * @author compress-redis contributors
 */
abstract class RedisCommand implements Callable<Integer>, CompressRedisCli.Streams {

	@Mixin
	RedisOptions redis = new RedisOptions();

	PrintStream out = System.out;

	PrintStream err = System.err;

	@Override
	public void use(PrintStream out, PrintStream err) {
		this.out = out;
		this.err = err;
	}

}
