#!/usr/bin/env python3
"""Turn the benchmark results into Markdown tables for BENCHMARKS.md (printed to stdout).

Usage: python3 benchmarks/report.py [RESULTS_DIR]   (default benchmarks/target/results)

Reads from RESULTS_DIR:
  jmh.json           CodecBenchmark (every codec x file) and ThresholdBenchmark, run with -prof gc
  jmh-4k.json        optional: CodecBenchmark on values >= 4 KB (file@4096), serializer vs native
  ratios.csv         RatioReport: ratio and mean original/stored size per file and codec
  redis-memory.csv   RedisMemoryHarness
  glide-comparison.md, glide-integrity.md
                     optional: GlideComparisonHarness's own Markdown tables, copied in as they are
  machine.txt        optional: what run-all.sh recorded about the machine and settings
MB/s is original bytes per second (1 MB = 10^6 bytes) in both directions, from the `bytes`
secondary metric (falling back to ops/s x mean value size). Alloc is gc.alloc.rate.norm, heap
bytes allocated per value; off-heap buffers (netty's pooled direct buffers, native codec
contexts) are not in it.
"""

import csv
import json
import math
import os
import sys

FILES = ["mdn-bcd.jsonl", "emoji.jsonl", "city.jsonl", "cities-by-country.jsonl"]
LARGE = ["mdn-bcd.jsonl@4096", "cities-by-country.jsonl@4096"]
CODECS = ["serializer-zstd1", "serializer-zstd3", "serializer-zstd3-crc", "serializer-lz4", "serializer-gzip",
          "native-zstd1", "native-zstd3", "native-lz4", "redisson-zstd", "redisson-lz4", "redisson-lz4v2",
          "redisson-snappy", "lettuce-gzip"]
NATIVE_PAIRS = [("serializer-zstd1", "native-zstd1"), ("serializer-zstd3", "native-zstd3"),
                ("serializer-lz4", "native-lz4")]
PEER_PAIRS = [("serializer-zstd3", "redisson-zstd"), ("serializer-zstd1", "redisson-zstd"),
              ("serializer-lz4", "redisson-lz4"), ("serializer-lz4", "redisson-lz4v2"),
              ("serializer-lz4", "redisson-snappy"), ("serializer-gzip", "lettuce-gzip"),
              ("serializer-zstd3-crc", "serializer-zstd3")]


def read_jmh(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return json.load(f)


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def number(value):
    """JMH writes NaN (and sometimes infinities) as strings."""
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) or math.isinf(value) else value


def num(value, digits=0):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return "{:,.{}f}".format(value, digits)


def times(value):
    return "-" if value is None else "%.2fx" % value


class Results:
    def __init__(self, directory):
        self.dir = directory
        self.ratios = {(r["file"], r["codec"]): r for r in read_csv(os.path.join(directory, "ratios.csv"))}
        self.codec = {}      # (file, codec, direction) -> dict(mbps, err, alloc, ops)
        self.threshold = {}  # method -> dict(ns, err, alloc)
        for name in ("jmh.json", "jmh-4k.json"):
            for run in read_jmh(os.path.join(directory, name)):
                self.add(run)
        self.harness = read_csv(os.path.join(directory, "redis-memory.csv"))

    def add(self, run):
        benchmark = run["benchmark"]
        method = benchmark.rsplit(".", 1)[1]
        primary = run["primaryMetric"]
        secondary = run.get("secondaryMetrics", {})
        alloc = secondary.get("gc.alloc.rate.norm", {}).get("score")
        if ".ThresholdBenchmark." in benchmark:
            self.threshold[method] = {"ns": primary["score"], "err": number(primary.get("scoreError")),
                                      "alloc": alloc}
            return
        if ".CodecBenchmark." not in benchmark:
            return
        file, codec = run["params"]["file"], run["params"]["codec"]
        ops = primary["score"]
        if "bytes" in secondary:
            mbps = secondary["bytes"]["score"] / 1e6
            err = number(secondary["bytes"].get("scoreError"))
            err = None if err is None else err / 1e6
        else:
            ratio = self.ratios.get((file, codec))
            mbps = ops * float(ratio["mean_original_bytes"]) / 1e6 if ratio else None
            err = None
        self.codec[(file, codec, method)] = {"mbps": mbps, "err": err, "alloc": alloc, "ops": ops}

    def skipped(self, file, codec):
        """Return a note when the codec was run on part of the file's values only."""
        ratio = self.ratios.get((file, codec))
        if not ratio or int(ratio.get("skipped_values") or 0) <= 0:
            return ""
        return " *(%s values up to %s B only; %s larger skipped)*" % (
            ratio["values"], num(int(ratio["max_value_bytes"])), ratio["skipped_values"])

    def mbps(self, file, codec, direction):
        cell = self.codec.get((file, codec, direction))
        return cell["mbps"] if cell else None

    def speedup(self, file, a, b, direction):
        x, y = self.mbps(file, a, direction), self.mbps(file, b, direction)
        return x / y if x and y else None

    def output_bytes(self, file, codec, direction):
        """Mean bytes a call returns: the stored form when compressing, the original when decompressing."""
        ratio = self.ratios.get((file, codec))
        if not ratio:
            return None
        return float(ratio["mean_stored_bytes" if direction == "compress" else "mean_original_bytes"])

    def alloc_budget_ok(self, file, codec, direction):
        cell = self.codec.get((file, codec, direction))
        out = self.output_bytes(file, codec, direction)
        if not cell or cell["alloc"] is None or out is None:
            return None
        return cell["alloc"] <= 1.1 * out + 128


def files_present(results, candidates):
    return [f for f in candidates if any(k[0] == f for k in results.codec)]


def codec_tables(results, out):
    out.append("## Codecs, value by value\n")
    out.append("MB/s = original bytes per second (10^6 B), one value per call, cycling through every value "
               "of the file. Ratio = original / stored bytes over the file. Alloc = heap bytes per value "
               "(`gc.alloc.rate.norm`); budget = at most 1.1 x the output size + 128 B (output: stored "
               "bytes when compressing, original bytes when decompressing).\n")
    for file in files_present(results, FILES + LARGE):
        ratio_row = next(iter(r for (f, _), r in results.ratios.items()
                              if f == file and int(r.get("skipped_values") or 0) == 0), None)
        if ratio_row:
            out.append("### %s (%s values, mean %s B)\n" % (file, ratio_row["values"],
                                                          num(float(ratio_row["mean_original_bytes"]))))
        else:
            out.append("### %s\n" % file)
        out.append("| codec | ratio | compress MB/s | decompress MB/s | compress alloc B/value | "
                   "decompress alloc B/value | mean stored B | alloc within budget (c/d) |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---|")
        for codec in CODECS:
            c = results.codec.get((file, codec, "compress"))
            d = results.codec.get((file, codec, "decompress"))
            if not c and not d:
                continue
            r = results.ratios.get((file, codec))

            def speed(cell):
                if not cell or cell["mbps"] is None:
                    return "-"
                digits = 1 if cell["mbps"] >= 10 else 2
                if cell["err"]:
                    return "%s ± %s" % (num(cell["mbps"], digits), num(cell["err"], digits))
                return num(cell["mbps"], digits)

            def ok(direction):
                v = results.alloc_budget_ok(file, codec, direction)
                return "-" if v is None else ("yes" if v else "**no**")

            out.append("| %s%s | %s | %s | %s | %s | %s | %s | %s/%s |" % (
                codec, results.skipped(file, codec), num(float(r["ratio"]), 2) if r else "-", speed(c), speed(d),
                num(c["alloc"]) if c else "-", num(d["alloc"]) if d else "-",
                num(float(r["mean_stored_bytes"]), 1) if r else "-", ok("compress"), ok("decompress")))
        out.append("")


def speedup_tables(results, out):
    out.append("## Speed-ups (MB/s of the first codec / MB/s of the second)\n")
    out.append("### Serializer vs the raw native codec (the limit)\n")
    out.append("| file | serializer | native | compress | decompress |")
    out.append("|---|---|---|---:|---:|")
    for file in files_present(results, FILES + LARGE):
        for a, b in NATIVE_PAIRS:
            c, d = results.speedup(file, a, b, "compress"), results.speedup(file, a, b, "decompress")
            if c or d:
                out.append("| %s | %s | %s | %s | %s |" % (file, a, b, times(c), times(d)))
    out.append("")
    out.append("### Serializer vs Redisson and Lettuce codecs (and the checksum's cost)\n")
    out.append("| file | ours | peer | compress | decompress |")
    out.append("|---|---|---|---:|---:|")
    for file in files_present(results, FILES):
        for a, b in PEER_PAIRS:
            c, d = results.speedup(file, a, b, "compress"), results.speedup(file, a, b, "decompress")
            if c or d:
                out.append("| %s | %s | %s%s | %s | %s |" % (file, a, b, results.skipped(file, b), times(c), times(d)))
    out.append("")


def threshold_table(results, out):
    if not results.threshold:
        return
    out.append("## A value below min-size (64 B string, default policy)\n")
    out.append("| operation | StringRedisSerializer ns | CompressingRedisSerializer ns | overhead ns | "
               "alloc B (plain / wrapped) |")
    out.append("|---|---:|---:|---:|---|")
    for op in ("serialize", "deserialize"):
        p, w = results.threshold.get(op + "Plain"), results.threshold.get(op + "Wrapped")
        if not p or not w:
            continue
        out.append("| %s | %s | %s | %s | %s / %s |" % (op, num(p["ns"], 1), num(w["ns"], 1),
                                                       num(w["ns"] - p["ns"], 1), num(p["alloc"]), num(w["alloc"])))
    out.append("")


def harness_table(results, out):
    if not results.harness:
        return
    out.append("## Redis memory and latency (RedisTemplate on Lettuce, real redis-server, 2 client threads)\n")
    out.append("| file | mode | values | original MB | stored MB | used_memory Δ MB | Σ MEMORY USAGE MB | "
               "used_memory saved vs plain | SET p50/p99 µs | GET p50/p99 µs | ops/s |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|")
    plain = {r["file"]: int(r["used_memory_delta"]) for r in results.harness if r["mode"] == "plain"}
    for r in results.harness:
        delta = int(r["used_memory_delta"])
        base = plain.get(r["file"])
        saved = "-" if r["mode"] == "plain" or not base else "%.1f%%" % (100 * (1 - delta / base))
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s |" % (
            r["file"], r["mode"], r["values"], num(int(r["original_bytes"]) / 1e6, 2),
            num(int(r["stored_bytes"]) / 1e6, 2), num(delta / 1e6, 2), num(int(r["memory_usage_sum"]) / 1e6, 2),
            saved, num(float(r["set_p50_us"])), num(float(r["set_p99_us"])), num(float(r["get_p50_us"])),
            num(float(r["get_p99_us"])), num(float(r["ops_per_sec"]))))
    out.append("")


def targets(results, out):
    out.append("## Targets\n")
    out.append("| target | measured | met |")
    out.append("|---|---|---|")

    def verdict(ok):
        return "-" if ok is None else ("met" if ok else "**missed**")

    # 1. serializer >= 0.9x native on values >= 4 KB, both directions
    large = files_present(results, LARGE) or files_present(results, ["mdn-bcd.jsonl", "cities-by-country.jsonl"])
    worst = None
    for file in large:
        for a, b in NATIVE_PAIRS:
            for direction in ("compress", "decompress"):
                s = results.speedup(file, a, b, direction)
                if s is not None and (worst is None or s < worst[0]):
                    worst = (s, file, a, direction)
    if worst:
        out.append("| serializer >= 0.9x native, both directions, values >= 4 KB | lowest %s (%s, %s, %s) | %s |"
                   % (times(worst[0]), worst[2], worst[3], worst[1], verdict(worst[0] >= 0.9)))

    # 2. >= 3x Redisson ZStdCodec compressing, >= 8x decompressing; >= 1.0x Redisson LZ4Codec
    for a, b, direction, goal in (("serializer-zstd3", "redisson-zstd", "compress", 3.0),
                                  ("serializer-zstd3", "redisson-zstd", "decompress", 8.0),
                                  ("serializer-lz4", "redisson-lz4", "compress", 1.0),
                                  ("serializer-lz4", "redisson-lz4", "decompress", 1.0)):
        values = [(results.speedup(f, a, b, direction), f) for f in files_present(results, FILES)]
        values = [v for v in values if v[0] is not None]
        if values:
            low = min(values)
            out.append("| %s >= %.0fx %s (%s) | lowest %s (%s); %s | %s |" % (
                a, goal, b, direction, times(low[0]), low[1],
                ", ".join("%s %s" % (f.replace(".jsonl", ""), times(s)) for s, f in values),
                verdict(low[0] >= goal)))

    # 3. below-threshold overhead
    p, w = results.threshold.get("serializePlain"), results.threshold.get("serializeWrapped")
    if p and w:
        over = w["ns"] - p["ns"]
        extra = (w["alloc"] or 0) - (p["alloc"] or 0)
        dp, dw = results.threshold.get("deserializePlain"), results.threshold.get("deserializeWrapped")
        dover = (dw["ns"] - dp["ns"]) if dp and dw else None
        dextra = ((dw["alloc"] or 0) - (dp["alloc"] or 0)) if dp and dw else 0
        out.append("| below min-size: <= 30 ns over the delegate, no extra allocation | serialize +%s ns, "
                   "+%s B; deserialize +%s ns, +%s B | %s |" % (
                       num(over, 1), num(extra), num(dover, 1), num(dextra),
                       verdict(over <= 30 and (dover is None or dover <= 30) and extra <= 0.5 and dextra <= 0.5)))

    # 4. allocation budget for the serializer
    misses, checked = [], 0
    for (file, codec, direction) in sorted(results.codec):
        if not codec.startswith("serializer-"):
            continue
        ok = results.alloc_budget_ok(file, codec, direction)
        if ok is None:
            continue
        checked += 1
        if not ok:
            cell = results.codec[(file, codec, direction)]
            misses.append("%s %s %s: %s B vs budget %s B" % (file, codec, direction, num(cell["alloc"]),
                                                            num(1.1 * results.output_bytes(file, codec, direction)
                                                                + 128)))
    if checked:
        out.append("| serializer alloc <= 1.1x output + 128 B | %s | %s |" % (
            "; ".join(misses) if misses else "all %d cells within budget" % checked, verdict(not misses)))

    # 5. Redis memory for mdn-bcd with zstd
    rows = {r["mode"]: r for r in results.harness if r["file"] == "mdn-bcd.jsonl"}
    if "plain" in rows and "zstd3" in rows:
        saved = 1 - int(rows["zstd3"]["used_memory_delta"]) / int(rows["plain"]["used_memory_delta"])
        out.append("| Redis used_memory for mdn-bcd.jsonl >= 85%% lower with zstd | %.1f%% lower | %s |"
                   % (100 * saved, verdict(saved >= 0.85)))
    out.append("")


def glide_tables(directory, out):
    heading = "\n## Against Valkey GLIDE's compression (GlideComparisonHarness)\n"
    for name in ("glide-comparison.md", "glide-integrity.md"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            if heading:
                out.append(heading)
                heading = None
            with open(path) as f:
                out.extend(line.rstrip("\n") for line in f if not line.startswith("Wrote "))


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join("benchmarks", "target", "results")
    results = Results(directory)
    if not results.codec and not results.harness:
        sys.exit("report.py: no results in " + directory)
    out = []
    machine = os.path.join(directory, "machine.txt")
    if os.path.exists(machine):
        out.append("## Machine and settings\n")
        out.append("```")
        with open(machine) as f:
            out.extend(line.rstrip("\n") for line in f)
        out.append("```\n")
    targets(results, out)
    codec_tables(results, out)
    speedup_tables(results, out)
    threshold_table(results, out)
    harness_table(results, out)
    glide_tables(directory, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
