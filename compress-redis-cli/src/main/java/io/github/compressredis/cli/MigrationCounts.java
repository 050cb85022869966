package io.github.compressredis.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What a migration did: keys scanned, changed, skipped (for each reason) and failed,
 * value bytes and {@code MEMORY USAGE} before and after. Carried in the checkpoint, so a
 * resumed migration reports the whole run.
 *
 * @author compress-redis contributors
 */
final class MigrationCounts {

	static final String[] NAMES = { "scanned", "changed", "unchanged", "conflicts", "other-types", "failed",
			"fields-changed", "members-changed", "members-merged", "member-conflicts", "bytes-before", "bytes-after",
			"memory-before", "memory-after", "verified" };

	private final Map<String, Long> counts = new LinkedHashMap<>();

	MigrationCounts() {
		for (String name : NAMES) {
			this.counts.put(name, 0L);
		}
	}

	static MigrationCounts from(Checkpoint checkpoint) {
		MigrationCounts counts = new MigrationCounts();
		for (String name : NAMES) {
			counts.counts.put(name, checkpoint.count(name));
		}
		return counts;
	}

	synchronized void add(String name, long delta) {
		this.counts.merge(name, delta, Long::sum);
	}

	synchronized long get(String name) {
		return this.counts.getOrDefault(name, 0L);
	}

	synchronized void store(Properties properties) {
		this.counts.forEach((name, value) -> properties.setProperty(name, Long.toString(value)));
	}

	synchronized Map<String, Long> asMap() {
		return new LinkedHashMap<>(this.counts);
	}

	long skipped() {
		return get("unchanged") + get("conflicts") + get("other-types");
	}

	void print(PrintStream out, boolean dryRun, double seconds, long scannedBefore, long bytesBefore, long bytesAfter) {
		String would = dryRun ? " (dry run: nothing written)" : "";
		out.printf(Locale.ROOT, "keys:   scanned %,d, %s %,d, skipped %,d (nothing to do %,d, changed by "
				+ "another writer meanwhile %,d, not a string, hash, set, sorted set or list %,d), failed %,d%s%n",
				get("scanned"), dryRun ? "would change" : "changed", get("changed"), skipped(), get("unchanged"),
				get("conflicts"), get("other-types"), get("failed"), would);
		if (get("fields-changed") > 0) {
			out.printf(Locale.ROOT, "fields: %,d hash fields %s%n", get("fields-changed"),
					dryRun ? "would change" : "changed");
		}
		if (get("members-changed") > 0 || get("member-conflicts") > 0) {
			String merged = dryRun ? "" : String.format(Locale.ROOT,
					" (%,d of them duplicates of a plain member, merged)", get("members-merged"));
			out.printf(Locale.ROOT,
					"members: %,d set, sorted-set and list members in compress-redis's format %s "
							+ "plain%s, %,d changed by another writer meanwhile%n",
					get("members-changed"), dryRun ? "would be made" : "made", merged, get("member-conflicts"));
		}
		out.printf(Locale.ROOT, "bytes:  values before %,d, after %,d%s%n", get("bytes-before"), get("bytes-after"),
				percent(get("bytes-before"), get("bytes-after")));
		out.printf(Locale.ROOT, "memory: sum of MEMORY USAGE before %,d, after %,d%s%s%n", get("memory-before"),
				get("memory-after"), percent(get("memory-before"), get("memory-after")),
				dryRun ? " (after: estimated)" : "");
		if (get("verified") > 0) {
			out.printf(Locale.ROOT, "verify: %,d written values read back and decoded to the original bytes%n",
					get("verified"));
		}
		if (seconds > 0) {
			long plain = Math.max(get("bytes-before") - bytesBefore, get("bytes-after") - bytesAfter);
			out.printf(Locale.ROOT, "time:   %.1f s this run, %,.0f keys/s, %.1f MB/s of uncompressed values%n",
					seconds, (get("scanned") - scannedBefore) / seconds, plain / seconds / 1e6);
		}
	}

	private static String percent(long before, long after) {
		return (before > 0) ? String.format(Locale.ROOT, " (%+.1f%%)", 100.0 * (after - before) / before) : "";
	}

}
