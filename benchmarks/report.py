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
  jmh-targets-lz4.json, jmh-targets-zstd.json
                     optional: CodecBenchmark's target cells (lz4 compress, zstd decompress) with
                     several forks, each ratio given with the interval its error bars allow
  large-values.json  optional: LargeValueBenchmark -prof gc (64 KB to 32 MB values)
  streaming-json.json, streaming-harness.txt
                     optional: StreamingJsonBenchmark -prof gc; StreamingJsonHarness's result lines
  observation.json   optional: ObservationBenchmark
  incompressible.md  optional: IncompressibleInputReport's output, copied in as it is
  machine.txt, load.txt, steps.txt
                     optional: what run-all.sh recorded about the machine and settings, the load
                     average at each step's start, and each step's estimated and actual time
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


def read_runs(directory, *names):
    runs = []
    for name in names:
        runs.extend(read_jmh(os.path.join(directory, name)))
    return runs


def ratio_interval(a, ea, b, eb):
    """a / b with the lowest and highest ratio the two error bars allow (None: unbounded)."""
    ea, eb = ea or 0.0, eb or 0.0
    low = max(0.0, (a - ea) / (b + eb))
    high = (a + ea) / (b - eb) if b - eb > 0 else None
    return a / b, low, high


def target_verdict(a, b, goal):
    """'1.02x (0.98-1.06) met' style cell for a >= goal x b; a, b: (MB/s, error)."""
    if not a or not b or a[0] is None or b[0] is None:
        return "-"
    if a[1] is None or b[1] is None:
        return "%.2fx (no error bars: one iteration)" % (a[0] / b[0])
    ratio, low, high = ratio_interval(a[0], a[1], b[0], b[1])
    if low >= goal:
        verdict = "met"
    elif high is not None and high < goal:
        verdict = "**missed**"
    else:
        verdict = "within the error bars"
    return "%.2fx (%.2f–%s) %s" % (ratio, low, "∞" if high is None else "%.2f" % high, verdict)


def target_cells(directory, out):
    runs = read_runs(directory, "jmh-targets-lz4.json", "jmh-targets-zstd.json")
    if not runs:
        return
    cells, forks, iterations = {}, set(), set()
    for run in runs:
        if ".CodecBenchmark." not in run["benchmark"]:
            continue
        method = run["benchmark"].rsplit(".", 1)[1]
        bytes_metric = run.get("secondaryMetrics", {}).get("bytes")
        if not bytes_metric:
            continue
        err = number(bytes_metric.get("scoreError"))
        cells[(run["params"]["file"], run["params"]["codec"], method)] = (
            bytes_metric["score"] / 1e6, None if err is None else err / 1e6)
        forks.add(run.get("forks"))
        iterations.add(run.get("measurementIterations"))

    def mbps(file, codec, method):
        cell = cells.get((file, codec, method))
        if not cell:
            return "-"
        return "%s ± %s" % (num(cell[0], 1), num(cell[1], 1)) if cell[1] is not None else num(cell[0], 1)

    out.append("## lz4 compress and zstd decompress at the limit (%s forks x %s iterations per cell)\n" % (
        "/".join(str(f) for f in sorted(forks)), "/".join(str(i) for i in sorted(iterations))))
    out.append("MB/s ± JMH's 99.9% error over all forks' iterations. Each ratio comes with the lowest and "
               "highest value the two error bars allow: *met* when even the lowest reaches the goal, "
               "**missed** when even the highest stays below it, else the error bars decide nothing. "
               "Checksum-off serializer cells against the others, the `-crc` cell beside them.\n")
    files = [f for f in FILES + LARGE if any(k[0] == f for k in cells)]
    lz4 = [f for f in files if (f, "serializer-lz4", "compress") in cells]
    if lz4:
        out.append("| file | serializer-lz4 | serializer-lz4-crc | native-lz4 | redisson-lz4 | "
                   "serializer-lz4 / native-lz4 (≥ 0.95x) | serializer-lz4 / redisson-lz4 (≥ 1.0x) |")
        out.append("|---|---:|---:|---:|---:|---|---|")
        for f in lz4:
            ours = cells.get((f, "serializer-lz4", "compress"))
            out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                f, mbps(f, "serializer-lz4", "compress"), mbps(f, "serializer-lz4-crc", "compress"),
                mbps(f, "native-lz4", "compress"), mbps(f, "redisson-lz4", "compress"),
                target_verdict(ours, cells.get((f, "native-lz4", "compress")), 0.95),
                target_verdict(ours, cells.get((f, "redisson-lz4", "compress")), 1.0)))
        out.append("")
    rows = [(f, level) for f in files for level in ("1", "3")
            if (f, "serializer-zstd" + level, "decompress") in cells]
    if rows:
        out.append("| file | zstd level | serializer | serializer-crc | native | serializer / native (≥ 0.95x) |")
        out.append("|---|---:|---:|---:|---:|---|")
        for f, level in rows:
            ours = cells.get((f, "serializer-zstd" + level, "decompress"))
            out.append("| %s | %s | %s | %s | %s | %s |" % (
                f, level, mbps(f, "serializer-zstd" + level, "decompress"),
                mbps(f, "serializer-zstd%s-crc" % level, "decompress"), mbps(f, "native-zstd" + level, "decompress"),
                target_verdict(ours, cells.get((f, "native-zstd" + level, "decompress")), 0.95)))
        out.append("")


def jmh_by(runs, benchmark_class):
    """(method, params tuple) -> run, for one benchmark class."""
    table = {}
    for run in runs:
        if "." + benchmark_class + "." in run["benchmark"]:
            method = run["benchmark"].rsplit(".", 1)[1]
            table[(method, tuple(sorted(run.get("params", {}).items())))] = run
    return table


def score(run):
    if not run:
        return "-"
    primary = run["primaryMetric"]
    err = number(primary.get("scoreError"))
    digits = 1 if primary["score"] >= 10 else 3
    return "%s ± %s" % (num(primary["score"], digits), num(err, digits)) if err is not None \
        else num(primary["score"], digits)


def alloc(run):
    return num(run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")) if run else "-"


def large_value_table(directory, out):
    runs = jmh_by(read_jmh(os.path.join(directory, "large-values.json")), "LargeValueBenchmark")
    if not runs:
        return
    keys = sorted({p for (_, p) in runs}, key=lambda p: (dict(p)["codec"], int(dict(p)["size"])))
    unit = next(iter(runs.values()))["primaryMetric"]["scoreUnit"]
    out.append("## Big values: heap allocated per call (LargeValueBenchmark, -prof gc)\n")
    out.append("One JSON array of `mdn-bcd.jsonl` values joined up to the size (cycling through the file for "
               "32 MB), through the serializer (min-size 0, max-ratio 1.0, checksum off). B/op is "
               "`gc.alloc.rate.norm`; the time is the machine's, so read it with the load noted above.\n")
    out.append("| codec | value up to B | compress %s | compress B/op | decompress %s | decompress B/op |" % (unit, unit))
    out.append("|---|---:|---:|---:|---:|---:|")
    for p in keys:
        c, d = runs.get(("compress", p)), runs.get(("decompress", p))
        out.append("| %s | %s | %s | %s | %s | %s |" % (dict(p)["codec"], num(int(dict(p)["size"])), score(c),
                                                        alloc(c), score(d), alloc(d)))
    out.append("")


def streaming_tables(directory, out):
    runs = jmh_by(read_jmh(os.path.join(directory, "streaming-json.json")), "StreamingJsonBenchmark")
    harness = os.path.join(directory, "streaming-harness.txt")
    lines = []
    if os.path.exists(harness):
        with open(harness) as f:
            lines = [line.strip() for line in f if line.startswith("mode=")]
    if not runs and not lines:
        return
    out.append("## Streaming JSON: the byte-array path (`bytes`) against `JsonCompressingRedisSerializer` "
               "(`streaming`)\n")
    if runs:
        keys = sorted({p for (_, p) in runs}, key=lambda p: (int(dict(p)["megabytes"]), dict(p)["mode"]))
        unit = next(iter(runs.values()))["primaryMetric"]["scoreUnit"]
        out.append("StreamingJsonBenchmark, -prof gc (zstd 3 with the checksum; the object is a list of "
                   "`mdn-bcd.jsonl` values as strings until its JSON reaches the size):\n")
        out.append("| JSON MB | mode | write %s | write B/op | read %s | read B/op |" % (unit, unit))
        out.append("|---:|---|---:|---:|---:|---:|")
        for p in keys:
            w, r = runs.get(("serialize", p)), runs.get(("deserialize", p))
            out.append("| %s | %s | %s | %s | %s | %s |" % (dict(p)["megabytes"], dict(p)["mode"], score(w), alloc(w),
                                                            score(r), alloc(r)))
        out.append("")
    if lines:
        out.append("StreamingJsonHarness, one write and one read in a JVM of its own with the `-Xmx` shown "
                   "(allocated: the thread's bytes; peak: heap in use at most):\n")
        out.append("| mode | MB | -Xmx | JSON B | stored B | write allocated B | read allocated B | "
                   "write peak heap B | read peak heap B | result |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for line in lines:
            head, _, result = line.partition(" result=")
            fields = dict(token.split("=", 1) for token in head.split() if "=" in token)

            def field(name):
                value = fields.get(name)
                return num(int(value)) if value and value.lstrip("-").isdigit() else (value or "-")

            out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                fields.get("mode", "-"), fields.get("mb", "-"), fields.get("xmx", "-"), field("json"),
                field("stored"), field("write.alloc"), field("read.alloc"), field("write.peak"),
                field("read.peak"), result if result == "ok" else "**%s**" % result))
        out.append("")


def observation_table(directory, out):
    runs = jmh_by(read_jmh(os.path.join(directory, "observation.json")), "ObservationBenchmark")
    if not runs:
        return
    out.append("## Timing each value: what an observer adds (ObservationBenchmark, 1 KiB JSON, zstd 3)\n")
    out.append("| benchmark | mode | %s | added to `none` |" % next(iter(runs.values()))["primaryMetric"]["scoreUnit"])
    out.append("|---|---|---:|---:|")
    none = runs.get(("compressAndDecompress", (("mode", "none"),)))
    methods = ["compressAndDecompress", "disabledBranch", "baseline"]
    modes = ["none", "timers", "observation", "tracing"]

    def order(item):
        (method, p), _ = item
        mode = dict(p).get("mode", "none")
        return (methods.index(method) if method in methods else 9, modes.index(mode) if mode in modes else 9)

    for (method, p), run in sorted(runs.items(), key=order):
        mode = dict(p).get("mode", "–") if method == "compressAndDecompress" else "–"
        added = "–"
        if method == "compressAndDecompress" and none and mode != "none":
            added = "+" + num(run["primaryMetric"]["score"] - none["primaryMetric"]["score"], 0)
        out.append("| %s | %s | %s | %s |" % (method, mode, score(run), added))
    out.append("")


def copied(directory, name, heading, out):
    path = os.path.join(directory, name)
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return
    out.append(heading)
    with open(path) as f:
        out.extend(line.rstrip("\n") for line in f)
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
        for name in ("machine.txt", "load.txt", "steps.txt"):
            path = os.path.join(directory, name)
            if os.path.exists(path):
                with open(path) as f:
                    out.extend(line.rstrip("\n") for line in f)
        out.append("```\n")
    targets(results, out)
    target_cells(directory, out)
    codec_tables(results, out)
    speedup_tables(results, out)
    threshold_table(results, out)
    harness_table(results, out)
    large_value_table(directory, out)
    streaming_tables(directory, out)
    observation_table(directory, out)
    copied(directory, "incompressible.md", "## Already compressed input (IncompressibleInputReport, default "
           "policy: zstd 3, checksum on)\n", out)
    glide_tables(directory, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
