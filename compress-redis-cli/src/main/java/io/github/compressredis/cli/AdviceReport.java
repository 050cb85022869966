package io.github.compressredis.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders {@link Advice} as a terminal table, JSON, or one self-contained HTML page with
 * an inline SVG chart of the memory each pattern would save.
 *
 * @author compress-redis contributors
 */
final class AdviceReport {

	private static final List<String> COLUMNS = List.of("zstd:1", "zstd:3", "lz4", "gzip:6", Advisor.DICTIONARY);

	private AdviceReport() {
	}

	static void table(Advice advice, PrintStream out) {
		out.printf(Locale.ROOT, "Redis %s: %,d keys, %,d sampled in %.1f s%n%n", advice.redis(), advice.totalKeys(),
				advice.sampledKeys(), advice.seconds());
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "pattern", "keys (est.)", "size p50/p90/max", "now", "MEMORY USAGE", "zstd:1", "zstd:3",
				"lz4", "gzip:6", "zstd:3+dict" });
		for (Advice.PatternAdvice pattern : advice.patterns()) {
			rows.add(row(pattern));
		}
		rows.add(row(advice.total()));
		int[] widths = new int[rows.get(0).length];
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		for (int r = 0; r < rows.size(); r++) {
			String[] row = rows.get(r);
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.length; i++) {
				String cell = (i == 0 || i == 3) ? pad(row[i], widths[i]) : leftPad(row[i], widths[i]);
				line.append(cell).append((i < row.length - 1) ? "  " : "");
			}
			if (r == rows.size() - 1) {
				out.println("-".repeat(line.length()));
			}
			out.println(line.toString().stripTrailing());
			if (r == 0) {
				out.println("-".repeat(line.length()));
			}
		}
		out.println();
		out.println("Codec columns: estimated MEMORY USAGE saved (share of now) and stored/original ratio.");
		for (String note : advice.notes()) {
			out.println("note: " + note);
		}
		out.println();
		out.println("Recommended configuration:");
		out.println();
		out.print(advice.yaml());
	}

	private static String[] row(Advice.PatternAdvice pattern) {
		Advice.Sizes sizes = pattern.sizes();
		String[] row = new String[10];
		row[0] = pattern.pattern();
		row[1] = String.format(Locale.ROOT, "%,d", pattern.estimatedKeys());
		row[2] = (sizes.count() > 0) ? bytes(sizes.p50()) + "/" + bytes(sizes.p90()) + "/" + bytes(sizes.max()) : "-";
		row[3] = formats(pattern.formats());
		row[4] = bytes(pattern.memoryBefore());
		for (int i = 0; i < COLUMNS.size(); i++) {
			Advice.Estimate estimate = pattern.estimate(COLUMNS.get(i));
			row[5 + i] = (estimate != null) ? String.format(Locale.ROOT, "%s %s r%.2f", bytes(estimate.memorySaved()),
					Recommendation.percent(estimate.savedShare()), estimate.storedRatio()) : "-";
		}
		return row;
	}

	private static String formats(Map<String, Long> formats) {
		long total = formats.values().stream().mapToLong(Long::longValue).sum();
		return formats.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(3)
			.map((e) -> e.getKey()
					+ ((formats.size() > 1) ? String.format(Locale.ROOT, " %.0f%%", 100.0 * e.getValue() / total) : ""))
			.collect(Collectors.joining(", "));
	}

	static String json(Advice advice) {
		return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(advice);
	}

	static String html(Advice advice) {
		StringBuilder html = new StringBuilder();
		html.append(
				"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>compress-redis advise</title>\n")
			.append("<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
			.append("td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}")
			.append("pre{background:#f4f4f4;padding:1em}</style></head><body>\n");
		html.append("<h1>compress-redis advise</h1>\n<p>")
			.append(escape(String.format(Locale.ROOT, "Redis %s: %,d keys, %,d sampled in %.1f s.", advice.redis(),
					advice.totalKeys(), advice.sampledKeys(), advice.seconds())))
			.append("</p>\n<h2>Redis memory per pattern: now and after each codec (estimated)</h2>\n");
		html.append(chart(advice));
		html.append("<h2>Patterns</h2>\n<table><tr><th>pattern</th><th>keys (est.)</th><th>size p50 / p90 / max</th>")
			.append("<th>now</th><th>MEMORY USAGE</th>");
		for (String column : COLUMNS) {
			html.append("<th>").append(escape(column)).append(" saved</th>");
		}
		html.append("</tr>\n");
		List<Advice.PatternAdvice> rows = new ArrayList<>(advice.patterns());
		rows.add(advice.total());
		for (Advice.PatternAdvice pattern : rows) {
			html.append("<tr>");
			for (String cell : row(pattern)) {
				html.append("<td>").append(escape(cell)).append("</td>");
			}
			html.append("</tr>\n");
		}
		html.append("</table>\n");
		if (!advice.notes().isEmpty()) {
			html.append("<h2>Notes</h2>\n<ul>");
			advice.notes().forEach((note) -> html.append("<li>").append(escape(note)).append("</li>"));
			html.append("</ul>\n");
		}
		html.append("<h2>Recommended configuration</h2>\n<pre>").append(escape(advice.yaml())).append("</pre>\n");
		html.append("</body></html>\n");
		return html.toString();
	}

	private static String chart(Advice advice) {
		List<Advice.PatternAdvice> patterns = advice.patterns();
		long max = Math.max(1, patterns.stream().mapToLong(Advice.PatternAdvice::memoryBefore).max().orElse(1));
		String[] colors = { "#999999", "#6baed6", "#2171b5", "#fd8d3c", "#74c476", "#8856a7" };
		int labelWidth = 260;
		int barWidth = 520;
		int barHeight = 9;
		int group = (COLUMNS.size() + 1) * barHeight + 12;
		int height = patterns.size() * group + 40;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">%n",
				labelWidth + barWidth + 120, height));
		List<String> legend = new ArrayList<>(List.of("now"));
		legend.addAll(COLUMNS);
		for (int i = 0; i < legend.size(); i++) {
			svg.append(String.format(Locale.ROOT,
					"<rect x=\"%d\" y=\"4\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"13\">%s</text>%n",
					labelWidth + i * 110, colors[i], labelWidth + i * 110 + 14, escape(legend.get(i))));
		}
		int y = 30;
		for (Advice.PatternAdvice pattern : patterns) {
			svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s</text>%n", y + group / 2,
					escape(pattern.pattern())));
			List<Long> values = new ArrayList<>();
			values.add(pattern.memoryBefore());
			for (String column : COLUMNS) {
				Advice.Estimate estimate = pattern.estimate(column);
				values.add((estimate != null) ? estimate.memoryAfter() : -1L);
			}
			for (int i = 0; i < values.size(); i++) {
				long value = values.get(i);
				if (value < 0) {
					continue;
				}
				int width = (int) Math.max(1, barWidth * value / max);
				int top = y + i * barHeight;
				svg.append(String.format(Locale.ROOT,
						"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s %s: %s</title></rect>"
								+ "<text x=\"%d\" y=\"%d\" font-size=\"8\">%s</text>%n",
						labelWidth, top, width, barHeight - 1, colors[i], escape(pattern.pattern()),
						escape(legend.get(i)), bytes(value), labelWidth + width + 4, top + barHeight - 1,
						bytes(value)));
			}
			y += group;
		}
		svg.append("</svg>\n");
		return svg.toString();
	}

	static String bytes(long bytes) {
		double value = bytes;
		String[] units = { "B", "KB", "MB", "GB", "TB" };
		int unit = 0;
		while (Math.abs(value) >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return (unit == 0) ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	private static String pad(String text, int width) {
		return text + " ".repeat(Math.max(0, width - text.length()));
	}

	private static String leftPad(String text, int width) {
		return " ".repeat(Math.max(0, width - text.length())) + text;
	}

}
