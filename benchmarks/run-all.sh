#!/usr/bin/env bash
# The full benchmark run, in one go, on a quiet machine (~45 min on 2 cores):
#   build -> ratios -> JMH (codecs x corpus files, threshold) -> JMH (values >= 4 KB, serializer vs
#   native) -> Redis memory/latency harness -> GLIDE comparison harness (and its flipped-byte
#   integrity mode) -> plot -> Markdown report.
# Everything lands in benchmarks/target/results/; the report is also printed to stdout.
# Run from anywhere inside the project: benchmarks/run-all.sh
# Environment knobs (defaults are the measured configuration):
#   JMH_FORKS=1 JMH_WI=2 JMH_W=1s JMH_I=4 JMH_R=1s   JMH settings for every benchmark
#   HARNESS_SECONDS=10                               measured SET/GET mix per harness cell
#   GLIDE_SECONDS=5 GLIDE_ROUNDS=2                   the same for the GLIDE comparison, and how many
#                                                    rounds of alternated modes it runs
#   SKIP_BUILD=1                                     reuse benchmarks/target/benchmarks.jar
#   JAVA=java                                        the JVM to run (JDK 17 or later)
#   SMOKE=1                                          ~2 min check of the whole pipeline on a
#                                                    subset (numbers meaningless); results go to
#                                                    benchmarks/target/results-smoke/
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JAVA="${JAVA:-java}"
JAR=benchmarks/target/benchmarks.jar
RESULTS=benchmarks/target/results
FORKS="${JMH_FORKS:-1}"
WI="${JMH_WI:-2}"
W="${JMH_W:-1s}"
I="${JMH_I:-4}"
R="${JMH_R:-1s}"
HARNESS_SECONDS="${HARNESS_SECONDS:-10}"
GLIDE_SECONDS="${GLIDE_SECONDS:-5}"
GLIDE_ROUNDS="${GLIDE_ROUNDS:-2}"
# what each step covers; SMOKE=1 shrinks every step to a subset
RATIO_ARGS=()
MAIN_ARGS=()
LARGE_FILES='mdn-bcd.jsonl@4096,cities-by-country.jsonl@4096'
LARGE_CODECS='serializer-zstd1,serializer-zstd3,serializer-lz4,native-zstd1,native-zstd3,native-lz4'
HARNESS_ARGS=()
GLIDE_ARGS=()
INTEGRITY_ARGS=()
if [ "${SMOKE:-0}" = 1 ]; then
	RESULTS=benchmarks/target/results-smoke
	FORKS=1 WI=1 W=1s I=1 R=1s HARNESS_SECONDS=2
	RATIO_ARGS=(--files emoji.jsonl,cities-by-country.jsonl@4096)
	MAIN_ARGS=(-p file=emoji.jsonl -p codec=serializer-zstd3,native-zstd3,redisson-zstd,lettuce-gzip)
	LARGE_FILES='cities-by-country.jsonl@4096'
	LARGE_CODECS='serializer-zstd3,native-zstd3'
	HARNESS_ARGS=(--files emoji.jsonl --modes plain,zstd3)
	GLIDE_SECONDS=1 GLIDE_ROUNDS=1
	GLIDE_ARGS=(--files emoji.jsonl --warmup 0.5 --modes glide-plain,glide-zstd3,lettuce-zstd3,jedis-zstd3)
	INTEGRITY_ARGS=(--files emoji.jsonl --samples 1 --modes glide-zstd3,lettuce-zstd3)
fi

log() { printf '\n=== %s  %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
START=$(date +%s)

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	log "build"
	mvn -B -q -pl benchmarks -am package -DskipTests
fi
mkdir -p "$RESULTS"

log "machine"
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
	echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "kernel: $(uname -sr)"
	echo "java: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "jmh: -f $FORKS -wi $WI -w $W -i $I -r $R -prof gc; harness: --seconds $HARNESS_SECONDS; glide: --seconds $GLIDE_SECONDS --rounds $GLIDE_ROUNDS"
	echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
} | tee "$RESULTS/machine.txt" >&2

log "compression ratios (RatioReport)"
"$JAVA" -Dresults.dir="$RESULTS" -cp "$JAR" io.github.compressredis.benchmarks.RatioReport "${RATIO_ARGS[@]}" | tee "$RESULTS/ratios.md"

JMH_COMMON=(-f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R" -prof gc -rf json)

log "JMH: every codec on every corpus file, both directions; threshold overhead"
"$JAVA" -jar "$JAR" 'CodecBenchmark|ThresholdBenchmark' "${JMH_COMMON[@]}" "${MAIN_ARGS[@]}" \
	-rff "$RESULTS/jmh.json" 2>&1 | tee "$RESULTS/jmh.log"

log "JMH: values >= 4 KB only, serializer vs native codecs"
"$JAVA" -jar "$JAR" CodecBenchmark "${JMH_COMMON[@]}" \
	-p "file=$LARGE_FILES" -p "codec=$LARGE_CODECS" \
	-rff "$RESULTS/jmh-4k.json" 2>&1 | tee "$RESULTS/jmh-4k.log"

log "Redis memory and latency harness"
"$JAVA" -Dresults.dir="$RESULTS" -cp "$JAR" io.github.compressredis.benchmarks.RedisMemoryHarness --seconds "$HARNESS_SECONDS" "${HARNESS_ARGS[@]}" \
	| tee "$RESULTS/redis-memory.md"

log "GLIDE comparison harness"
"$JAVA" -Dresults.dir="$RESULTS" -cp "$JAR" io.github.compressredis.benchmarks.GlideComparisonHarness \
	--seconds "$GLIDE_SECONDS" --rounds "$GLIDE_ROUNDS" "${GLIDE_ARGS[@]}" | tee "$RESULTS/glide-comparison.md"

log "GLIDE comparison: one flipped byte"
"$JAVA" -Dresults.dir="$RESULTS" -cp "$JAR" io.github.compressredis.benchmarks.GlideComparisonHarness \
	--integrity "${INTEGRITY_ARGS[@]}" | tee "$RESULTS/glide-integrity.md"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS/machine.txt" >&2

log "plot"
# matplotlib if some python3 here has it (pyenv's may not, Debian's python3-matplotlib is for
# /usr/bin/python3), else plot.py's own standard-library PNG writer
PLOT_PYTHON=python3
for candidate in python3 /usr/bin/python3; do
	if command -v "$candidate" > /dev/null && "$candidate" -c 'import matplotlib' 2> /dev/null; then
		PLOT_PYTHON="$candidate"
		break
	fi
done
"$PLOT_PYTHON" benchmarks/plot.py "$RESULTS"

log "report"
python3 benchmarks/report.py "$RESULTS" | tee "$RESULTS/report.md"

log "done in $(( ($(date +%s) - START) / 60 )) min $(( ($(date +%s) - START) % 60 )) s; results in $RESULTS"
