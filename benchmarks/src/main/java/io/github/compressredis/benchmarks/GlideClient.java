package io.github.compressredis.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import glide.api.logging.Logger;
import glide.api.models.GlideString;
import glide.api.models.configuration.CompressionBackend;
import glide.api.models.configuration.CompressionConfiguration;
import glide.api.models.configuration.GlideClientConfiguration;
import glide.api.models.configuration.NodeAddress;
import io.github.compressredis.embedded.RedisServerProcess;

/**
 * Valkey GLIDE ({@code io.valkey:valkey-glide}, Java binding over its Rust core) as the
 * harness drives it, with its own built-in compression of SET/GET values or without.
 * Every line that knows GLIDE's API is in this class. GLIDE compresses a value of at
 * least {@code minCompressionSize} bytes (64 by default), keeps the compressed form only
 * if it is smaller, and stores it behind its own header ({@link #headerLength(byte[])}),
 * without a checksum.
 *
 * @author compress-redis contributors
 */
final class GlideClient implements KeyValueClient {

	/** What GLIDE does to values. */
	enum Compression {

		/** No compression configuration. */
		NONE,

		/**
		 * {@code CompressionBackend.ZSTD}, level 3 (GLIDE's default backend and level).
		 */
		ZSTD3,

		/** {@code CompressionBackend.LZ4}, GLIDE's default level for it. */
		LZ4

	}

	private static final int PIPELINE_VALUES = 500;

	private static final long PIPELINE_BYTES = 8L * 1024 * 1024;

	/**
	 * Far above any value's round trip on a loaded machine; GLIDE's default is 250 ms.
	 */
	private static final int REQUEST_TIMEOUT_MILLIS = 20_000;

	private final glide.api.GlideClient client;

	private GlideClient(glide.api.GlideClient client) {
		this.client = client;
	}

	/**
	 * Connect to a redis-server on {@value RedisServerProcess#HOST}.
	 * @param port the server's port
	 * @param compression what GLIDE does to values
	 * @return the connected client
	 */
	static GlideClient connect(int port, Compression compression) {
		// its core logs a WARN on stdout for every value it cannot decompress (and then
		// returns the stored bytes)
		Logger.setLoggerConfig(Logger.Level.ERROR);
		GlideClientConfiguration.GlideClientConfigurationBuilder<?, ?> config = GlideClientConfiguration.builder()
			.address(NodeAddress.builder().host(RedisServerProcess.HOST).port(port).build())
			.requestTimeout(REQUEST_TIMEOUT_MILLIS);
		if (compression != Compression.NONE) {
			// GLIDE's own defaults otherwise: min 64 B, keep if smaller, max decompressed
			// 512 MiB
			config.compressionConfiguration(CompressionConfiguration.builder()
				.enabled(true)
				.backend((compression == Compression.ZSTD3) ? CompressionBackend.ZSTD : CompressionBackend.LZ4)
				.compressionLevel((compression == Compression.ZSTD3) ? 3 : null)
				.build());
		}
		return new GlideClient(await(glide.api.GlideClient.createClient(config.build()), "connect to port " + port));
	}

	@Override
	public void set(String key, byte[] value) {
		await(this.client.set(GlideString.of(key), GlideString.of(value)), "SET " + key);
	}

	@Override
	public byte[] get(String key) {
		GlideString value = await(this.client.get(GlideString.of(key)), "GET " + key);
		return (value != null) ? value.getBytes() : null;
	}

	/**
	 * GLIDE multiplexes one connection: up to 500 SETs (and 8 MB) in flight at once. Its
	 * batch API is not used because compression applies to single SETs.
	 */
	@Override
	public void load(String[] keys, List<byte[]> values) {
		int start = 0;
		while (start < keys.length) {
			List<CompletableFuture<String>> inFlight = new ArrayList<>();
			long bytes = 0;
			int end = start;
			while (end < keys.length && end - start < PIPELINE_VALUES && bytes < PIPELINE_BYTES) {
				inFlight.add(this.client.set(GlideString.of(keys[end]), GlideString.of(values.get(end))));
				bytes += values.get(end).length;
				end++;
			}
			for (int i = 0; i < inFlight.size(); i++) {
				await(inFlight.get(i), "SET " + keys[start + i]);
			}
			start = end;
		}
	}

	/**
	 * The length of GLIDE's header in a stored value, or -1 if GLIDE stored it
	 * uncompressed. As {@code valkey-glide} 2.5.2-rc1 writes it (read back from a
	 * server): the 4 bytes {@code 00 01 02 00}, one backend byte ({@code 01} zstd,
	 * {@code 02} lz4), then for zstd a standard zstd frame (no content size, no
	 * checksum), for lz4 the original length (4 bytes, little-endian, counted as header
	 * here) and one lz4 block.
	 * @param stored the bytes the server holds
	 * @return 5 for zstd, 9 for lz4, -1 otherwise
	 */
	static int headerLength(byte[] stored) {
		if (stored.length < 9 || stored[0] != 0 || stored[1] != 1 || stored[2] != 2 || stored[3] != 0) {
			return -1;
		}
		return switch (stored[4]) {
			case 1 -> 5;
			case 2 -> 9;
			default -> -1;
		};
	}

	@Override
	public void close() {
		try {
			this.client.close();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Closing the GLIDE client failed", ex.getCause());
		}
	}

	private static <T> T await(CompletableFuture<T> future, String what) {
		try {
			return future.get(REQUEST_TIMEOUT_MILLIS + 5_000L, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during GLIDE " + what, ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			throw (cause instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("GLIDE " + what + " failed: " + cause, cause);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("GLIDE " + what + " did not complete in " + REQUEST_TIMEOUT_MILLIS + " ms",
					ex);
		}
	}

}
