package io.github.compressredis.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.testsupport.corpus.Corpus;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.github.compressredis.cli.Redis.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code advise} on a real redis-server holding several key patterns, value formats and
 * types.
 */
class AdviseCommandTests extends StandaloneServer {

	@TempDir
	Path temp;

	@BeforeAll
	static void load() {
		RedisCommands<byte[], byte[]> commands = redis.commands();
		List<byte[]> mdn = Corpus.values("mdn-bcd.jsonl");
		List<byte[]> emoji = Corpus.values("emoji.jsonl");
		for (int i = 0; i < 200; i++) {
			commands.set(bytes("product:" + (1000 + i * 7) + ":details"), mdn.get(i));
		}
		for (int i = 0; i < 400; i++) {
			commands.set(bytes("emoji:" + i), emoji.get(i));
		}
		ValueCompressor lz4 = InspectCommandTests.compressor(Algorithm.LZ4, 0);
		for (int i = 0; i < 50; i++) {
			commands.set(bytes("products::" + i), lz4.compress(mdn.get(200 + i)));
		}
		for (int i = 0; i < 20; i++) {
			String session = "session:" + UUID.nameUUIDFromBytes(new byte[] { (byte) i });
			for (int f = 0; f < 5; f++) {
				commands.hset(bytes(session), bytes("attr" + f), emoji.get(500 + i * 5 + f));
			}
		}
		commands.set(bytes("glide:1"), HexFormat.of().parseHex("00010200020300000030616263"));
		commands.rpush(bytes("queue"), bytes("a"), bytes("b"));
	}

	@Test
	void tableGroupsKeysIntoPatternsAndRecommendsAConfiguration() {
		Cli cli = Cli.run("advise", "--uri", uri, "--quiet");
		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		assertThat(cli.out()).contains("product:*:details")
			.contains("emoji:*")
			.contains("products::*")
			.contains("session:*")
			.contains("compress-redis/lz4")
			.contains("glide/lz4")
			.contains("Recommended configuration")
			.contains("compress:\n  redis:\n    algorithm: zstd\n    level: 3\n");
	}

	@Test
	void jsonEstimatesEveryCandidateAndTheDictionaryOnHeldOutKeys() {
		Cli cli = Cli.run("advise", "--uri", uri, "--json", "--quiet");
		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		JsonNode json = JsonMapper.builder().build().readTree(cli.out());
		assertThat(json.get("totalKeys").asLong()).isEqualTo(200 + 400 + 50 + 20 + 2);
		List<String> codecs = new ArrayList<>();
		json.get("total").get("estimates").forEach((estimate) -> codecs.add(estimate.get("codec").asString()));
		assertThat(codecs).contains("zstd:1", "zstd:3", "lz4", "gzip:6", "zstd:3+dictionary");
		JsonNode products = null;
		for (JsonNode pattern : json.get("patterns")) {
			if (pattern.get("pattern").asString().equals("product:*:details")) {
				products = pattern;
			}
		}
		assertThat(products).isNotNull();
		assertThat(products.get("estimatedKeys").asLong()).isEqualTo(200);
		assertThat(products.get("formats").get("plain").asLong()).isEqualTo(200);
		assertThat(products.get("sizes").get("max").asLong()).isPositive();
		for (JsonNode estimate : products.get("estimates")) {
			assertThat(estimate.get("memorySaved").asLong()).as(estimate.toString()).isPositive();
			assertThat(estimate.get("storedRatio").asDouble()).isLessThan(0.5);
		}
	}

	@Test
	void aSampleIsBoundedAndScaledToTheWholeDatabase() {
		Cli cli = Cli.run("advise", "--uri", uri, "--sample", "100", "--json", "--quiet");
		JsonNode json = JsonMapper.builder().build().readTree(cli.out());
		assertThat(json.get("sampledKeys").asLong()).isEqualTo(100);
		long estimated = 0;
		for (JsonNode pattern : json.get("patterns")) {
			estimated += pattern.get("estimatedKeys").asLong();
		}
		assertThat(estimated).isBetween(660L, 684L);
	}

	@Test
	void htmlReportIsOneSelfContainedPageWithAChart() throws Exception {
		Path report = this.temp.resolve("advice.html");
		Cli cli = Cli.run("advise", "--uri", uri, "--report", report.toString(), "--quiet");
		assertThat(cli.exitCode()).as(cli.toString()).isZero();
		String html = Files.readString(report);
		assertThat(html).startsWith("<!DOCTYPE html>")
			.contains("<svg")
			.contains("product:*:details")
			.contains("algorithm: zstd")
			.doesNotContain("<script src")
			.doesNotContain("<link");
	}

	@Test
	void keyPatternsCollapseIds() {
		assertThat(KeyPatterns.of("product:1234:details")).isEqualTo("product:*:details");
		assertThat(KeyPatterns.of("session:3f2c8a1e-4b5d-4e6f-8a9b-0c1d2e3f4a5b")).isEqualTo("session:*");
		assertThat(KeyPatterns.of("user:ab12cd34ef:cart")).isEqualTo("user:*:cart");
		assertThat(KeyPatterns.of("cache::products::v2")).isEqualTo("cache::products::v2");
		assertThat(KeyPatterns.of("api.AbortController")).isEqualTo("api.AbortController");
	}

}
