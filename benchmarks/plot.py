#!/usr/bin/env python3
"""Plot compression ratio against throughput per codec, one panel per corpus file.

Usage: python3 benchmarks/plot.py [RESULTS_DIR]   (default benchmarks/target/results)

Reads jmh.json (CodecBenchmark, the `bytes` secondary metric = original bytes/s) and ratios.csv
(RatioReport) from RESULTS_DIR and writes:
  ratio-vs-throughput.png             ratio against compress MB/s
  ratio-vs-decompress-throughput.png  ratio against decompress MB/s
If RESULTS_DIR holds glide-comparison.csv (GlideComparisonHarness), also:
  glide-memory-vs-ops.png             Redis memory saved (glide-plain / mode, summed MEMORY USAGE)
                                      against ops/s at the most client threads measured
  glide-memory-vs-cpu.png             the same against client CPU time per operation
Uses matplotlib when it is importable, otherwise a small PNG writer built on the standard library
(zlib + struct) with its own 5x7 bitmap font, so the plot needs nothing installed.
"""

import csv
import json
import math
import os
import struct
import sys
import zlib

FILES = ["mdn-bcd.jsonl", "emoji.jsonl", "city.jsonl", "cities-by-country.jsonl"]

FAMILY_COLORS = {
    "serializer": (31, 119, 180),
    "native": (44, 160, 44),
    "redisson": (214, 39, 40),
    "lettuce": (255, 127, 14),
    "glide": (148, 103, 189),
    "jedis": (23, 190, 207),
}

TITLE = ("compress-redis: ratio vs throughput (blue serializer, green native, red Redisson, orange Lettuce;"
         " * = smaller values only)")
YLABEL = "compression ratio (original / stored)"
GLIDE_TITLE = ("compress-redis vs Valkey GLIDE through redis-server (purple GLIDE, orange this project on Lettuce,"
               " cyan on Jedis)")
GLIDE_YLABEL = "Redis memory saved (plain / compressed)"


def family(codec):
    return codec.split("-", 1)[0]


def load(results):
    """Return {file: [(codec, compress MB/s, decompress MB/s, ratio)]}."""
    with open(os.path.join(results, "jmh.json")) as f:
        runs = json.load(f)
    speed = {}
    for run in runs:
        name = run["benchmark"]
        if ".CodecBenchmark." not in name:
            continue
        direction = name.rsplit(".", 1)[1]
        params = run.get("params", {})
        secondary = run.get("secondaryMetrics", {})
        if "bytes" not in secondary:
            continue
        mbps = secondary["bytes"]["score"] / 1e6
        speed[(params["file"], params["codec"], direction)] = mbps
    ratios = {}
    with open(os.path.join(results, "ratios.csv"), newline="") as f:
        for row in csv.DictReader(f):
            partial = int(row.get("skipped_values") or 0) > 0
            ratios[(row["file"], row["codec"])] = (float(row["ratio"]), partial)
    data = {}
    for (file, codec), (ratio, partial) in ratios.items():
        c = speed.get((file, codec, "compress"))
        d = speed.get((file, codec, "decompress"))
        if c is None and d is None:
            continue
        # * marks a codec run on part of the file only (Redisson's LZ4CodecV2: small values)
        data.setdefault(file, []).append((codec + ("*" if partial else ""), c, d, ratio))
    return data


def load_glide(results):
    """Return ({file: [(mode, ops/s, CPU us/op, memory ratio)]}, threads) from glide-comparison.csv, or None."""
    path = os.path.join(results, "glide-comparison.csv")
    if not os.path.exists(path):
        return None
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    threads = max(int(row["threads"]) for row in rows)
    plain = {row["file"]: int(row["memory_usage_sum"]) for row in rows if row["mode"] == "glide-plain"}
    cells = {}
    for row in rows:
        if int(row["threads"]) == threads and row["file"] in plain:
            cells.setdefault((row["file"], row["mode"]), []).append(row)
    data = {}
    for (file, mode), group in cells.items():
        ops = sum(float(row["ops_per_sec"]) for row in group) / len(group)
        cpu = sum(float(row["cpu_us_per_op"]) for row in group) / len(group)
        ratio = plain[file] / int(group[0]["memory_usage_sum"])
        data.setdefault(file, []).append((mode, ops, cpu, ratio))
    return data, threads


def panels(data):
    files = [f for f in FILES if f in data] + sorted(f for f in data if f not in FILES and "@" not in f)
    return files


# ---------------------------------------------------------------------------- matplotlib


def plot_matplotlib(data, out, index, xlabel, title=TITLE, ylabel=YLABEL):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = panels(data)
    cols = min(2, len(files))
    rows = max(1, math.ceil(len(files) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(14, 5 * rows), squeeze=False)
    for ax in axes.flat[len(files):]:
        ax.axis("off")
    for ax, file in zip(axes.flat, files):
        pts = [(p[0], p[index], p[3]) for p in data[file] if p[index] is not None and p[index] > 0]
        for codec, x, ratio in pts:
            color = tuple(c / 255 for c in FAMILY_COLORS.get(family(codec), (0, 0, 0)))
            ax.scatter([x], [ratio], color=color, s=30, zorder=3)
        ax.set_xscale("log")
        ax.set_title(file)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3)
        ax.margins(x=0.08, y=0.12)
        ax.panel_pts = pts
    fig.suptitle(title)
    fig.tight_layout()
    # labels: the first offset whose box overlaps no point and no label placed before
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in axes.flat[:len(files)]:
        frame = ax.get_window_extent(renderer)
        taken = []
        for codec, x, ratio in ax.panel_pts:
            cx, cy = ax.transData.transform((x, ratio))
            taken.append((cx - 4, cy - 4, cx + 4, cy + 4))
        for codec, x, ratio in sorted(ax.panel_pts, key=lambda p: (-p[2], p[1])):
            chosen = None
            for dy in (0, 8, -8, 16, -16, 24, -24, 32, -32, 40, -40):
                for dx, ha in ((5, "left"), (-5, "right")):
                    text = ax.annotate(codec, (x, ratio), xytext=(dx, dy), textcoords="offset points", fontsize=7,
                                       ha=ha, va="center",
                                       arrowprops=dict(arrowstyle="-", color="0.6", lw=0.5) if abs(dy) > 8 else None)
                    box = text.get_window_extent(renderer)
                    rect = (box.x0, box.y0, box.x1, box.y1)
                    inside = frame.x0 <= rect[0] and rect[2] <= frame.x1 and frame.y0 <= rect[1] and rect[3] <= frame.y1
                    clear = not any(rect[0] < b[2] and b[0] < rect[2] and rect[1] < b[3] and b[1] < rect[3]
                                    for b in taken)
                    if inside and clear:
                        chosen = rect
                        break
                    text.remove()
                if chosen:
                    break
            if chosen is None:
                text = ax.annotate(codec, (x, ratio), xytext=(5, 0), textcoords="offset points", fontsize=7,
                                   va="center")
                box = text.get_window_extent(renderer)
                chosen = (box.x0, box.y0, box.x1, box.y1)
            taken.append(chosen)
    fig.savefig(out, dpi=100)
    plt.close(fig)


# ---------------------------------------------------------------------------- standard library

FONT = {
    "A": "01110 10001 10001 11111 10001 10001 10001", "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110", "D": "11110 10001 10001 10001 10001 10001 11110",
    "E": "11111 10000 10000 11110 10000 10000 11111", "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111", "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110", "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001", "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001", "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110", "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101", "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110", "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110", "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010", "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 01010 00100 00100 00100 00100", "Z": "11111 00001 00010 00100 01000 10000 11111",
    "0": "01110 10001 10011 10101 11001 10001 01110", "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111", "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010", "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110", "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110", "9": "01110 10001 10001 01111 00001 00010 01100",
    "-": "00000 00000 00000 11111 00000 00000 00000", ".": "00000 00000 00000 00000 00000 01100 01100",
    "/": "00000 00001 00010 00100 01000 10000 00000", "(": "00010 00100 01000 01000 01000 00100 00010",
    ")": "01000 00100 00010 00010 00010 00100 01000", ":": "00000 01100 01100 00000 01100 01100 00000",
    ",": "00000 00000 00000 00000 01100 00100 01000", "_": "00000 00000 00000 00000 00000 00000 11111",
    "%": "11000 11001 00010 00100 01000 10011 00011", "=": "00000 00000 11111 00000 11111 00000 00000",
    ">": "01000 00100 00010 00001 00010 00100 01000", "@": "01110 10001 10111 10101 10111 10000 01110",
    "<": "00010 00100 01000 10000 01000 00100 00010", "*": "00000 00100 10101 01110 10101 00100 00000",
    " ": "00000 00000 00000 00000 00000 00000 00000",
}
GLYPHS = {ch: [int(row, 2) for row in rows.split()] for ch, rows in FONT.items()}


class Canvas:
    def __init__(self, width, height):
        self.width = width
        self.height = height
        self.pixels = bytearray(b"\xff" * (width * height * 3))

    def set(self, x, y, color):
        if 0 <= x < self.width and 0 <= y < self.height:
            i = (y * self.width + x) * 3
            self.pixels[i:i + 3] = bytes(color)

    def rect(self, x0, y0, x1, y1, color):
        for y in range(max(0, y0), min(self.height, y1 + 1)):
            for x in range(max(0, x0), min(self.width, x1 + 1)):
                self.set(x, y, color)

    def hline(self, x0, x1, y, color):
        self.rect(min(x0, x1), y, max(x0, x1), y, color)

    def vline(self, x, y0, y1, color):
        self.rect(x, min(y0, y1), x, max(y0, y1), color)

    def line(self, x0, y0, x1, y1, color):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in range(steps + 1):
            self.set(round(x0 + (x1 - x0) * i / steps), round(y0 + (y1 - y0) * i / steps), color)

    def disc(self, cx, cy, r, color):
        for y in range(cy - r, cy + r + 1):
            for x in range(cx - r, cx + r + 1):
                if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
                    self.set(x, y, color)

    @staticmethod
    def text_size(text, scale):
        return len(text) * 6 * scale - scale, 7 * scale

    def text(self, x, y, text, color, scale=1):
        for ch in text.upper():
            glyph = GLYPHS.get(ch, GLYPHS[" "])
            for row, bits in enumerate(glyph):
                for col in range(5):
                    if bits & (1 << (4 - col)):
                        self.rect(x + col * scale, y + row * scale, x + col * scale + scale - 1,
                                  y + row * scale + scale - 1, color)
            x += 6 * scale

    def png(self, path):
        raw = b"".join(b"\x00" + bytes(self.pixels[y * self.width * 3:(y + 1) * self.width * 3])
                       for y in range(self.height))

        def chunk(kind, data):
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n")
            f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)))
            f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
            f.write(chunk(b"IEND", b""))


def nice_step(span, target):
    raw = span / max(1, target)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= raw:
            return m * magnitude
    return 10 * magnitude


def fmt(value, step=None):
    if step is not None:
        digits = 0 if step >= 1 else (1 if step >= 0.1 else 2)
        return "%.*f" % (digits, value)
    if value >= 100 or value == int(value):
        return "%d" % round(value)
    return ("%.1f" % value) if value >= 1 else ("%.2f" % value)


def draw_panel(canvas, x0, y0, w, h, title, points, xlabel, ylabel="RATIO"):
    black, grey, light = (0, 0, 0), (90, 90, 90), (225, 225, 225)
    left, right, top, bottom = x0 + 70, x0 + w - 20, y0 + 40, y0 + h - 55
    tw, _ = canvas.text_size(title, 2)
    canvas.text(x0 + (w - tw) // 2, y0 + 10, title, black, 2)
    pts = [(c, x, r) for c, x, r in points if x is not None and x > 0]
    if not pts:
        canvas.text(left + 10, top + 10, "NO DATA", grey, 2)
        return
    xs = [x for _, x, _ in pts]
    ys = [r for _, _, r in pts]
    lo = 10 ** math.floor(math.log10(min(xs) / 1.1))
    hi = 10 ** math.ceil(math.log10(max(xs) * 1.1))
    if hi <= lo:
        hi = lo * 10
    ymin = 0.0
    ymax = max(ys) * 1.12
    step = nice_step(ymax - ymin, 6)
    ymax = math.ceil(ymax / step) * step

    def px(x):
        return int(left + (math.log10(x) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (right - left))

    def py(y):
        return int(bottom - (y - ymin) / (ymax - ymin) * (bottom - top))

    # grid and ticks
    decade = lo
    while decade <= hi * 1.0001:
        for m in (1, 2, 5):
            value = decade * m
            if lo <= value <= hi * 1.0001:
                x = px(value)
                canvas.vline(x, top, bottom, light)
                canvas.vline(x, bottom, bottom + 5, black)
                label = fmt(value)
                lw, _ = canvas.text_size(label, 1)
                canvas.text(x - lw // 2, bottom + 9, label, grey)
        decade *= 10
    value = ymin
    while value <= ymax + 1e-9:
        y = py(value)
        canvas.hline(left, right, y, light)
        canvas.hline(left - 5, left, y, black)
        label = fmt(value, step)
        lw, _ = canvas.text_size(label, 1)
        canvas.text(left - 9 - lw, y - 3, label, grey)
        value += step
    canvas.hline(left, right, bottom, black)
    canvas.hline(left, right, top, black)
    canvas.vline(left, top, bottom, black)
    canvas.vline(right, top, bottom, black)
    lw, _ = canvas.text_size(xlabel, 1)
    canvas.text(left + (right - left - lw) // 2, bottom + 26, xlabel, black)
    canvas.text(x0 + 8, top - 14, ylabel, black)

    # points, then labels placed where they overlap nothing placed before
    placed = []
    for codec, x, r in pts:
        placed.append((px(x) - 4, py(r) - 4, px(x) + 4, py(r) + 4))
        canvas.disc(px(x), py(r), 4, FAMILY_COLORS.get(family(codec), black))
    for codec, x, r in sorted(pts, key=lambda p: (-p[2], p[1])):
        cx, cy = px(x), py(r)
        lw, lh = canvas.text_size(codec, 1)
        best = None
        candidates = [(dx, dy) for dy in (-3, -12, 6, -21, 15, -30, 24, -39, 33, -48, 42)
                      for dx in (7, -7 - lw, -lw // 2)]
        for dx, dy in candidates:
            box = (cx + dx - 1, cy + dy - 1, cx + dx + lw + 1, cy + dy + lh + 1)
            if box[0] < left or box[2] > right or box[1] < top or box[3] > bottom:
                continue
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                best = box
                if abs(dy) > 12:
                    # a leader line to a label set apart from its point
                    lx = min(max(cx, best[0]), best[2])
                    ly = best[3] if best[3] < cy else best[1]
                    canvas.line(cx, cy, lx, ly, (170, 170, 170))
                break
        if best is None:
            best = (cx + 6, cy - 4, cx + 7 + lw, cy - 3 + lh)
        placed.append(best)
        colour = FAMILY_COLORS.get(family(codec), black)
        canvas.text(best[0] + 1, best[1] + 1, codec, tuple(int(c * 0.7) for c in colour))
    for codec, x, r in pts:
        canvas.disc(px(x), py(r), 4, FAMILY_COLORS.get(family(codec), black))


def plot_stdlib(data, out, index, xlabel, title=TITLE, ylabel=YLABEL):
    files = panels(data)
    cols = min(2, len(files))
    rows = max(1, math.ceil(len(files) / cols))
    pw, ph = 760, 520
    canvas = Canvas(cols * pw, rows * ph + 40)
    heading = title.split(" (")[0].upper()
    canvas.text(20, 12, heading, (0, 0, 0), 2)
    lx = 20 + canvas.text_size(heading, 2)[0] + 40
    families = {family(point[0]) for points in data.values() for point in points}
    for name, colour in FAMILY_COLORS.items():
        if name not in families:
            continue
        canvas.disc(lx, 18, 5, colour)
        canvas.text(lx + 10, 14, name, colour)
        lx += 20 + canvas.text_size(name, 1)[0]
    if title == TITLE:
        canvas.text(lx + 10, 14, "* = SMALLER VALUES ONLY", (90, 90, 90))
    for i, file in enumerate(files):
        points = [(codec, point[index], point[3]) for point in data[file] for codec in [point[0]]]
        draw_panel(canvas, (i % cols) * pw, 40 + (i // cols) * ph, pw, ph, file, points, xlabel,
                   "RATIO" if ylabel == YLABEL else "MEMORY SAVED")
    canvas.png(out)


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else os.path.join("benchmarks", "target", "results")
    data = load(results) if os.path.exists(os.path.join(results, "jmh.json")) else None
    glide = load_glide(results)
    if not data and not glide:
        sys.exit("plot.py: no CodecBenchmark results with ratios and no glide-comparison.csv in " + results)
    try:
        import matplotlib  # noqa: F401
        plot = plot_matplotlib
        how = "matplotlib"
    except ImportError:
        plot = plot_stdlib
        how = "the built-in PNG writer (matplotlib is not installed)"
    if data:
        for name, index, xlabel in (("ratio-vs-throughput.png", 1, "compress MB/s (log scale)"),
                                    ("ratio-vs-decompress-throughput.png", 2, "decompress MB/s (log scale)")):
            out = os.path.join(results, name)
            plot(data, out, index, xlabel)
            print("wrote %s with %s" % (out, how), file=sys.stderr)
    if glide:
        glide_data, threads = glide
        for name, index, xlabel in (("glide-memory-vs-ops.png", 1, "ops/s, %d client threads (log scale)" % threads),
                                    ("glide-memory-vs-cpu.png", 2,
                                     "client CPU us per op, %d client threads (log scale)" % threads)):
            out = os.path.join(results, name)
            plot(glide_data, out, index, xlabel, GLIDE_TITLE, GLIDE_YLABEL)
            print("wrote %s with %s" % (out, how), file=sys.stderr)


if __name__ == "__main__":
    main()
