package io.github.compressredis.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Writes the {@code compress.redis} configuration {@code advise} recommends, using only
 * settings the starter has: one global policy ({@code algorithm}, {@code level},
 * {@code min-size}, {@code max-ratio}), {@code dictionary.enabled}, and
 * {@code cache.policies.<cache>} for patterns that are Spring Cache entries
 * ({@code <cache>::<key>}).
 *
 * @author compress-redis contributors
 */
final class Recommendation {

	/** A codec must save this share of memory more than zstd:3 to be preferred to it. */
	private static final double BETTER = 0.02;

	private Recommendation() {
	}

	static String yaml(List<Advice.PatternAdvice> patterns, Advice.PatternAdvice total, List<String> notes, int minSize,
			double maxRatio) {
		String global = best(total);
		StringBuilder yaml = new StringBuilder("compress:\n  redis:\n");
		if (global == null) {
			notes.add("Compression would save less than " + percent(BETTER) + " of memory on the sampled keys.");
			yaml.append("    algorithm: none\n");
			return yaml.toString();
		}
		appendCodec(yaml, "    ", global);
		yaml.append("    min-size: ").append(minSize).append("B\n");
		yaml.append("    max-ratio: ").append(maxRatio).append('\n');
		Advice.Estimate dictionary = total.estimate(Advisor.DICTIONARY);
		Advice.Estimate chosen = total.estimate(global);
		if (dictionary != null && chosen != null && global.startsWith("zstd")
				&& dictionary.savedShare() - chosen.savedShare() >= BETTER) {
			yaml.append("    dictionary:\n      enabled: true\n");
			notes.add(String.format(Locale.ROOT,
					"A trained dictionary would save %s of memory against %s for %s alone (measured on held-out keys).",
					percent(dictionary.savedShare()), percent(chosen.savedShare()), global));
		}
		Map<String, String> caches = new LinkedHashMap<>();
		for (Advice.PatternAdvice pattern : patterns) {
			String best = best(pattern);
			String codec = (best != null) ? best : "none";
			if (codec.equals(global) || pattern.memoryBefore() < total.memoryBefore() / 100) {
				continue;
			}
			int separator = pattern.pattern().indexOf("::");
			if (separator > 0 && !pattern.pattern().substring(0, separator).contains("*")) {
				caches.putIfAbsent(pattern.pattern().substring(0, separator), codec);
			}
			else {
				notes.add("Pattern " + pattern.pattern() + " would do best with " + codec + " rather than " + global
						+ "; compress.redis has one policy for all RedisTemplate values (per-cache policies only "
						+ "for Spring Cache entries), so it gets " + global + ".");
			}
		}
		if (!caches.isEmpty()) {
			yaml.append("    cache:\n      policies:\n");
			caches.forEach((cache, codec) -> {
				yaml.append("        ").append(cache).append(":\n");
				appendCodec(yaml, "          ", codec);
			});
		}
		return yaml.toString();
	}

	/**
	 * The candidate to use: zstd:3 unless another saves clearly more; {@code null} if
	 * none saves enough.
	 * @param pattern the measured candidates of one key pattern
	 * @return the candidate's name, or {@code null}
	 */
	static @Nullable String best(Advice.PatternAdvice pattern) {
		Advice.Estimate zstd3 = pattern.estimate("zstd:3");
		Advice.Estimate best = zstd3;
		for (String candidate : Advisor.CANDIDATES) {
			Advice.Estimate estimate = pattern.estimate(candidate);
			if (estimate != null && (best == null || estimate.savedShare() > best.savedShare() + BETTER)) {
				best = estimate;
			}
		}
		return (best == null || best.savedShare() < BETTER) ? null : best.codec();
	}

	private static void appendCodec(StringBuilder yaml, String indent, String codec) {
		if (codec.equals("none")) {
			yaml.append(indent).append("algorithm: none\n");
			return;
		}
		Target target = Target.parse(codec);
		yaml.append(indent).append("algorithm: ").append(target.algorithm().tag()).append('\n');
		if (target.level() != null) {
			yaml.append(indent).append("level: ").append(target.level()).append('\n');
		}
	}

	static String percent(double share) {
		return String.format(Locale.ROOT, "%.1f%%", share * 100);
	}

}
