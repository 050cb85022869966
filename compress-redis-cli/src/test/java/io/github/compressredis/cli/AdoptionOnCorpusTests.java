package io.github.compressredis.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.compressredis.testsupport.corpus.Corpus;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.github.compressredis.cli.Redis.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adoption path on each corpus file loaded plain into a real redis-server:
 * {@code advise}'s estimate of the sum of MEMORY USAGE after zstd 3 is within 5% of what
 * {@code migrate} then measures, and {@code migrate --to plain} restores every value byte
 * for byte. Appends a row per file to {@code target/adoption-on-corpus.md} (the table in
 * the README).
 */
class AdoptionOnCorpusTests extends StandaloneServer {

	private static final Pattern MEMORY = Pattern
		.compile("memory: sum of MEMORY USAGE before ([\\d,]+), after ([\\d,]+)");

	private static final Pattern TIME = Pattern
		.compile("time: +([\\d.]+) s this run, ([\\d,]+) keys/s, ([\\d.]+) MB/s of uncompressed");

	@ParameterizedTest
	@ValueSource(strings = { "mdn-bcd.jsonl", "emoji.jsonl", "city.jsonl", "cities-by-country.jsonl" })
	void adviseEstimatesWhatMigrateMeasuresAndRollbackRestoresEveryByte(String file) throws IOException {
		RedisCommands<byte[], byte[]> commands = redis.commands();
		commands.flushall();
		List<byte[]> values = Corpus.values(file);
		String prefix = file.replace(".jsonl", "") + ":";
		for (int i = 0; i < values.size(); i++) {
			commands.set(bytes(prefix + i), values.get(i));
		}
		Cli advise = Cli.run("advise", "--uri", uri, "--sample", "100000", "--max-time", "10m", "--json", "--quiet");
		assertThat(advise.exitCode()).as(advise.toString()).isZero();
		JsonNode total = JsonMapper.builder().build().readTree(advise.out()).get("total");
		long estimatedBefore = total.get("memoryBefore").asLong();
		long estimatedAfter = estimate(total, "zstd:3");
		// a smaller sample, extrapolated by key count: reported, not held to 5%
		int smallSample = Math.max(100, values.size() / 10);
		Cli sampled = Cli.run("advise", "--uri", uri, "--sample", Integer.toString(smallSample), "--json", "--quiet");
		long sampledAfter = estimate(JsonMapper.builder().build().readTree(sampled.out()).get("total"), "zstd:3");
		Cli migrate = Cli.run("migrate", "--uri", uri, "--to", "zstd:3", "--quiet");
		assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
		Matcher memory = MEMORY.matcher(migrate.out());
		assertThat(memory.find()).as(migrate.out()).isTrue();
		long measuredBefore = number(memory.group(1));
		long measuredAfter = number(memory.group(2));
		assertThat(estimatedBefore).isEqualTo(measuredBefore);
		double error = (double) (estimatedAfter - measuredAfter) / measuredAfter;
		Matcher time = TIME.matcher(migrate.out());
		assertThat(time.find()).isTrue();
		Cli rollback = Cli.run("migrate", "--uri", uri, "--to", "plain", "--quiet");
		assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
		Matcher rolledBack = MEMORY.matcher(rollback.out());
		assertThat(rolledBack.find()).isTrue();
		for (int i = 0; i < values.size(); i++) {
			assertThat(commands.get(bytes(prefix + i))).as(prefix + i).isEqualTo(values.get(i));
		}
		String row = String.format(Locale.ROOT,
				"| %s | %,d | %,d | %,d | %,d | %+.2f%% | %,d (%,d keys, %+.1f%%) | %,d | %s | %s | %,d, all %,d values byte-identical |%n",
				file, values.size(), measuredBefore, estimatedAfter, measuredAfter, error * 100, sampledAfter,
				smallSample, 100.0 * (sampledAfter - measuredAfter) / measuredAfter,
				estimate(total, Advisor.DICTIONARY), time.group(2), time.group(3), number(rolledBack.group(2)),
				values.size());
		Path table = Path.of("target", "adoption-on-corpus.md");
		Files.writeString(table, row, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
				java.nio.file.StandardOpenOption.APPEND);
		assertThat(Math.abs(error)).as("advise's estimate %,d against %,d measured", estimatedAfter, measuredAfter)
			.isLessThanOrEqualTo(0.05);
	}

	private static long estimate(JsonNode total, String codec) {
		for (JsonNode estimate : total.get("estimates")) {
			if (estimate.get("codec").asString().equals(codec)) {
				return estimate.get("memoryAfter").asLong();
			}
		}
		return -1;
	}

	private static long number(String text) {
		return Long.parseLong(text.replace(",", ""));
	}

}
