package io.github.compressredis.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration {@code advise} recommends uses only the starter's settings, per cache
 * where a Spring Cache pattern wants another codec, and says what it cannot express; and
 * the progress line.
 */
class RecommendationTests {

	@Test
	void aCachePatternThatWantsAnotherCodecGetsACachePolicyAndATemplatePatternANote() {
		Advice.PatternAdvice products = pattern("products::*", 1000, 0.50, 0.40, 0.80);
		Advice.PatternAdvice sessions = pattern("session:*", 1000, 0.50, 0.40, 0.90);
		Advice.PatternAdvice catalog = pattern("catalog:*", 10_000, 0.90, 0.91, 0.60);
		Advice.PatternAdvice total = pattern("(total)", 12_000, 0.83, 0.82, 0.63);
		List<String> notes = new ArrayList<>();
		String yaml = Recommendation.yaml(List.of(catalog, products, sessions), total, notes, 192, 0.9);
		assertThat(yaml).isEqualTo("""
				compress:
				  redis:
				    algorithm: zstd
				    level: 3
				    min-size: 192B
				    max-ratio: 0.9
				    cache:
				      policies:
				        products:
				          algorithm: lz4
				""");
		assertThat(notes).singleElement().asString().contains("session:*").contains("lz4").contains("per-cache");
	}

	@Test
	void nothingWorthCompressingRecommendsNone() {
		Advice.PatternAdvice tiny = pattern("city:*", 1000, 0.0, 0.0, 0.0);
		List<String> notes = new ArrayList<>();
		assertThat(Recommendation.yaml(List.of(tiny), tiny, notes, 192, 0.9)).contains("algorithm: none");
		assertThat(notes).singleElement().asString().contains("less than");
	}

	@Test
	void progressShowsShareRateAndEta() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, "keys", 1000);
		progress.advance(250);
		String line = progress.line(System.nanoTime() + 5_000_000_000L);
		assertThat(line).contains("25%").contains("250/1,000 keys").contains("/s").contains("ETA");
		progress.finish();
		assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\r").contains("250/1,000 keys");
	}

	/** A pattern whose zstd:3 saves {@code zstd3}, lz4 {@code lz4} of its memory. */
	private static Advice.PatternAdvice pattern(String name, long memory, double zstd3, double zstd1, double lz4) {
		List<Advice.Estimate> estimates = List.of(estimate("zstd:1", memory, zstd1), estimate("zstd:3", memory, zstd3),
				estimate("lz4", memory, lz4), estimate("gzip:6", memory, zstd3 - 0.01));
		return new Advice.PatternAdvice(name, 10, 10, Map.of("plain", 10L), new Advice.Sizes(10, 1, 2, 3, 2), memory,
				estimates);
	}

	private static Advice.Estimate estimate(String codec, long memory, double saved) {
		long savedBytes = Math.round(memory * saved);
		return new Advice.Estimate(codec, 1 - saved, memory - savedBytes, savedBytes, saved, null);
	}

}
