package io.github.compressredis.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import glide.api.GlideClient;
import glide.api.models.GlideString;
import glide.api.models.configuration.CompressionBackend;
import glide.api.models.configuration.CompressionConfiguration;
import glide.api.models.configuration.GlideClientConfiguration;
import glide.api.models.configuration.NodeAddress;
import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.testsupport.corpus.Corpus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.CompressionCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.codec.LZ4Codec;
import org.redisson.codec.ZStdCodec;
import org.redisson.config.Config;

import static io.github.compressredis.cli.Redis.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values written by the real clients users come from (GLIDE with compression on,
 * Lettuce's {@code CompressionCodec}, Redisson's LZ4 and ZStd codecs) are recognised by
 * {@code inspect} and {@code advise}, migrated into compress-redis's format, and rolled
 * back to the exact bytes inside each client's compression layer.
 */
class ForeignClientsTests extends StandaloneServer {

	private static final ValueCompressor READER = InspectCommandTests.compressor(Algorithm.NONE, 0);

	private final List<byte[]> corpus = Corpus.values("emoji.jsonl").subList(0, 400);

	@BeforeEach
	void flush() {
		redis.commands().flushall();
	}

	@Test
	void lettuceCompressionCodecValuesAreReadMigratedAndRolledBack() {
		Map<String, byte[]> values = new LinkedHashMap<>();
		RedisClient client = RedisClient.create(RedisURI.create(server.host(), server.port()));
		try (StatefulRedisConnection<byte[], byte[]> gzip = client
			.connect(CompressionCodec.valueCompressor(ByteArrayCodec.INSTANCE, CompressionCodec.CompressionType.GZIP));
				StatefulRedisConnection<byte[], byte[]> deflate = client.connect(CompressionCodec
					.valueCompressor(ByteArrayCodec.INSTANCE, CompressionCodec.CompressionType.DEFLATE))) {
			for (int i = 0; i < this.corpus.size(); i++) {
				String key = ((i % 2 == 0) ? "gz:" : "df:") + i;
				((i % 2 == 0) ? gzip : deflate).sync().set(bytes(key), this.corpus.get(i));
				values.put(key, this.corpus.get(i));
			}
		}
		finally {
			client.shutdown();
		}
		assertThat(Cli.run("inspect", "--uri", uri, "gz:0").out()).contains("format:       gzip (foreign");
		assertThat(Cli.run("inspect", "--uri", uri, "--raw", "df:1").stdout()).isEqualTo(values.get("df:1"));
		Cli advise = Cli.run("advise", "--uri", uri, "--quiet");
		assertThat(advise.out()).contains("gzip").contains("lettuce-deflate");
		migrateAndRollBack(values, "gzip,lettuce-deflate");
	}

	@Test
	void redissonCodecValuesAreReadMigratedAndRolledBack() {
		Config config = new Config();
		config.useSingleServer().setAddress("redis://" + server.host() + ":" + server.port());
		RedissonClient redisson = Redisson.create(config);
		Map<String, byte[]> values = new LinkedHashMap<>();
		try {
			LZ4Codec lz4 = new LZ4Codec(new org.redisson.client.codec.ByteArrayCodec());
			ZStdCodec zstd = new ZStdCodec(new org.redisson.client.codec.ByteArrayCodec());
			for (int i = 0; i < this.corpus.size(); i++) {
				String key = ((i % 2 == 0) ? "rl:" : "rz:") + i;
				redisson.<byte[]>getBucket(key, (i % 2 == 0) ? lz4 : zstd).set(this.corpus.get(i));
				values.put(key, this.corpus.get(i));
			}
		}
		finally {
			redisson.shutdown(0, 2, TimeUnit.SECONDS);
		}
		// no magic: plain unless named
		assertThat(Cli.run("inspect", "--uri", uri, "rl:0").out()).contains("format:       plain");
		assertThat(Cli.run("inspect", "--uri", uri, "--foreign", "redisson-lz4", "rl:0").out())
			.contains("format:       redisson-lz4 (foreign");
		assertThat(Cli.run("inspect", "--uri", uri, "--foreign", "redisson-zstd", "--raw", "rz:1").stdout())
			.isEqualTo(values.get("rz:1"));
		migrateAndRollBack(values, "redisson-lz4,redisson-zstd");
	}

	@Test
	void glideCompressedValuesAreReadMigratedAndRolledBack() throws Exception {
		Map<String, byte[]> values = new LinkedHashMap<>();
		// larger values: GLIDE stores a value plain when compressing does not shrink it
		List<byte[]> corpus = Corpus.values("mdn-bcd.jsonl").subList(0, 200);
		for (CompressionBackend backend : CompressionBackend.values()) {
			GlideClientConfiguration configuration = GlideClientConfiguration.builder()
				.address(NodeAddress.builder().host(server.host()).port(server.port()).build())
				.compressionConfiguration(CompressionConfiguration.builder().enabled(true).backend(backend).build())
				.build();
			try (GlideClient glide = GlideClient.createClient(configuration).get(30, TimeUnit.SECONDS)) {
				for (int i = 0; i < corpus.size(); i++) {
					String key = "glide:" + backend.name().toLowerCase(java.util.Locale.ROOT) + ":" + i;
					glide.set(GlideString.of(key), GlideString.of(corpus.get(i))).get(30, TimeUnit.SECONDS);
					values.put(key, corpus.get(i));
				}
			}
		}
		assertThat(corpus.get(3).length).isGreaterThan(1000);
		assertThat(redis.commands().get(bytes("glide:zstd:3"))).startsWith(0x00, 0x01, 0x02, 0x00, 0x01);
		assertThat(redis.commands().get(bytes("glide:lz4:3"))).startsWith(0x00, 0x01, 0x02, 0x00, 0x02);
		assertThat(Cli.run("inspect", "--uri", uri, "glide:lz4:3").out()).contains("glide (foreign").contains("lz4");
		assertThat(Cli.run("advise", "--uri", uri, "--quiet").out()).contains("glide/zstd").contains("glide/lz4");
		migrateAndRollBack(values, "glide");
	}

	private static void migrateAndRollBack(Map<String, byte[]> values, String formats) {
		Map<String, byte[]> written = new LinkedHashMap<>();
		values.keySet().forEach((key) -> written.put(key, redis.commands().get(bytes(key))));
		Cli migrate = Cli.run("migrate", "--uri", uri, "--foreign", formats, "--to", "zstd:3", "--verify", "--quiet");
		assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
		assertThat(migrate.out()).contains("failed 0");
		values.forEach((key, original) -> {
			byte[] stored = redis.commands().get(bytes(key));
			assertThat(READER.decompress(stored)).as(key).isEqualTo(original);
		});
		assertThat(values.keySet().stream().filter((key) -> WireFormat.isFramed(redis.commands().get(bytes(key)))))
			.isNotEmpty();
		Cli rollback = Cli.run("migrate", "--uri", uri, "--to", "plain", "--quiet");
		assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
		values.forEach((key, original) -> assertThat(redis.commands().get(bytes(key))).as(key).isEqualTo(original));
		// the clients had compressed most of them: those bytes are gone, the
		// application's are back
		assertThat(written.entrySet()
			.stream()
			.filter((e) -> !java.util.Arrays.equals(e.getValue(), values.get(e.getKey()))))
			.hasSizeGreaterThan(values.size() / 2);
	}

}
