#!/usr/bin/env bash
# The whole benchmark suite, in one go, on a quiet machine (about 60 min on 2 cores; the estimate of
# each step is printed at the start and compared with the time it took at the end):
#   build -> ratios -> JMH (codecs x corpus files, threshold) -> JMH (values >= 4 KB, serializer vs
#   native) -> JMH, 3 forks, on the lz4-compress and zstd-decompress cells the speed targets are
#   about -> big values' allocation (LargeValueBenchmark, -prof gc, 64 KB to 32 MB) -> streaming
#   JSON (StreamingJsonBenchmark, -prof gc; StreamingJsonHarness at 1/15/50 MB with a low -Xmx) ->
#   Observation costs (ObservationBenchmark) -> already compressed input (IncompressibleInputReport)
#   -> Redis memory/latency harness -> GLIDE comparison harness (and its flipped-byte integrity
#   mode) -> plot -> Markdown report.
# Not in it, each with its own run and command in BENCHMARKS.md: the trained-dictionary sweep
# (DictionarySweep, CorpusRatioReport, RedisMemoryHarness --modes ...,zstd3-dict) and the
# compression breaker under a CPU hog (BreakerHarness): tens of minutes each.
# Everything lands in benchmarks/target/results/; the report is also printed to stdout.
# Run from anywhere inside the project: benchmarks/run-all.sh
# Environment knobs (defaults are the measured configuration):
#   JMH_FORKS=1 JMH_WI=2 JMH_W=1s JMH_I=4 JMH_R=1s   JMH settings of the codec-matrix steps
#   TARGET_FORKS=3                                   forks of the target-cell step (-wi 2 -i 3)
#   HARNESS_SECONDS=10                               measured SET/GET mix per harness cell
#   GLIDE_SECONDS=2 GLIDE_WARMUP=1 GLIDE_ROUNDS=2    the same for the GLIDE comparison (after a
#                                                    warm-up), and how many rounds of alternated
#                                                    modes it runs
#   SKIP_BUILD=1                                     reuse benchmarks/target/benchmarks.jar
#   JAVA=java                                        the JVM to run (JDK 17 or later)
#   SMOKE=1                                          ~4 min check of the whole pipeline on a
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
TARGET_FORKS="${TARGET_FORKS:-3}"
TARGET_WI=2 TARGET_I=3
OBSERVATION_WI=3 OBSERVATION_I=5
BIG_I=2
HARNESS_SECONDS="${HARNESS_SECONDS:-10}"
GLIDE_SECONDS="${GLIDE_SECONDS:-2}"
GLIDE_WARMUP="${GLIDE_WARMUP:-1}"
GLIDE_ROUNDS="${GLIDE_ROUNDS:-2}"
# what each step covers; SMOKE=1 shrinks every step to a subset. *_CELLS: how many JMH cells (or
# harness cells) a step runs, for the duration estimate only
RATIO_ARGS=()
MAIN_ARGS=()
MAIN_CELLS=108        # CodecBenchmark: 4 files x 13 codecs x 2 directions; ThresholdBenchmark: 4
LARGE_FILES='mdn-bcd.jsonl@4096,cities-by-country.jsonl@4096'
LARGE_CODECS='serializer-zstd1,serializer-zstd3,serializer-lz4,native-zstd1,native-zstd3,native-lz4'
LARGE_CELLS=24
# the target cells: lz4 compress on every file; zstd decompress on the files whose values the
# serializer stores compressed (it stores city.jsonl's ~100 B values plain, so there it measures
# the plain path, already in the main step); each with its checksum-on serializer beside it
TARGET_LZ4_FILES='mdn-bcd.jsonl,emoji.jsonl,city.jsonl,cities-by-country.jsonl'
TARGET_LZ4_CODECS='serializer-lz4,serializer-lz4-crc,native-lz4,redisson-lz4'
TARGET_ZSTD_FILES='mdn-bcd.jsonl,emoji.jsonl,cities-by-country.jsonl'
TARGET_ZSTD_CODECS='serializer-zstd1,serializer-zstd3,serializer-zstd3-crc,native-zstd1,native-zstd3'
TARGET_CELLS=31
BIG_ARGS=()           # LargeValueBenchmark: 64 KB, 1 MB, 8 MB, 32 MB x 4 codecs x 2
BIG_CELLS=32
STREAM_ARGS=()        # StreamingJsonBenchmark: 1, 15, 50 MB x bytes/streaming x 2
STREAM_CELLS=12
# StreamingJsonHarness: megabytes:-Xmx, each in bytes and streaming mode (the low heaps show
# which path runs out of memory)
STREAM_HARNESS='1:96m 15:96m 50:192m'
OBSERVATION_ARGS=()
OBSERVATION_CELLS=6
INCOMPRESSIBLE_FILES='city.jsonl emoji.jsonl'
INCOMPRESSIBLE_ROUNDS=9
HARNESS_ARGS=()
HARNESS_CELLS=16      # 4 files x plain, zstd3, lz4, gzip
GLIDE_ARGS=()
GLIDE_CELLS=104       # 4 files x 13 modes x rounds 2 (each at 1 and 4 threads)
INTEGRITY_ARGS=()
if [ "${SMOKE:-0}" = 1 ]; then
	RESULTS=benchmarks/target/results-smoke
	FORKS=1 WI=1 W=1s I=1 R=1s HARNESS_SECONDS=2 TARGET_FORKS=1 TARGET_WI=1 TARGET_I=1
	OBSERVATION_WI=1 OBSERVATION_I=1 BIG_I=1
	RATIO_ARGS=(--files emoji.jsonl,cities-by-country.jsonl@4096)
	MAIN_ARGS=(-p file=emoji.jsonl -p codec=serializer-zstd3,native-zstd3,redisson-zstd)
	MAIN_CELLS=10
	LARGE_FILES='cities-by-country.jsonl@4096'
	LARGE_CODECS='serializer-zstd3,native-zstd3'
	LARGE_CELLS=4
	TARGET_LZ4_FILES='emoji.jsonl'
	TARGET_LZ4_CODECS='serializer-lz4,redisson-lz4'
	TARGET_ZSTD_FILES='emoji.jsonl'
	TARGET_ZSTD_CODECS='serializer-zstd3,native-zstd3'
	TARGET_CELLS=4
	BIG_ARGS=(-p size=65536,1048576 -p codec=serializer-zstd3)
	BIG_CELLS=4
	STREAM_ARGS=(-p megabytes=1)
	STREAM_CELLS=4
	STREAM_HARNESS='1:96m'
	OBSERVATION_ARGS=(-p mode=none)
	OBSERVATION_CELLS=3
	INCOMPRESSIBLE_FILES='emoji.jsonl'
	INCOMPRESSIBLE_ROUNDS=1
	HARNESS_ARGS=(--files emoji.jsonl --modes plain,zstd3)
	HARNESS_CELLS=2
	GLIDE_SECONDS=1 GLIDE_WARMUP=0.5 GLIDE_ROUNDS=1
	GLIDE_ARGS=(--files emoji.jsonl --modes glide-plain,glide-zstd3,lettuce-zstd3,jedis-zstd3)
	GLIDE_CELLS=4
	INTEGRITY_ARGS=(--files emoji.jsonl --samples 1 --modes glide-zstd3,lettuce-zstd3)
fi

# duration estimates, in seconds: a JMH cell costs its iterations plus about 2.5 s per fork
# (JVM start, the 2 GB heap pre-touched, the corpus loaded and round-tripped); the harnesses
# their measured windows plus loading the values
secs() { echo "${1%s}"; }
jmh_estimate() { # cells forks wi w i r
	awk -v c="$1" -v f="$2" -v wi="$3" -v w="$(secs "$4")" -v i="$5" -v r="$(secs "$6")" \
		'BEGIN { printf "%d", c * f * (wi * w + i * r + 2.5) }'
}
EST_BUILD=$([ "${SKIP_BUILD:-0}" = 1 ] && echo 0 || echo 90)
EST_RATIO=$([ "${SMOKE:-0}" = 1 ] && echo 10 || echo 60)
EST_MAIN=$(jmh_estimate "$MAIN_CELLS" "$FORKS" "$WI" "$W" "$I" "$R")
EST_LARGE=$(jmh_estimate "$LARGE_CELLS" "$FORKS" "$WI" "$W" "$I" "$R")
EST_TARGET=$(jmh_estimate "$TARGET_CELLS" "$TARGET_FORKS" "$TARGET_WI" 1s "$TARGET_I" 1s)
# the 8 MB and 32 MB values take a few seconds to build and compress in setup
EST_BIG=$(awk -v c="$BIG_CELLS" -v i="$BIG_I" 'BEGIN { printf "%d", c * (1 + i + 4) }')
# a 50 MB call takes about a second, so its iterations run over
EST_STREAM=$(awk -v c="$STREAM_CELLS" -v i="$BIG_I" 'BEGIN { printf "%d", c * (1 + i + 7) }')
EST_STREAM_HARNESS=$(( $(echo $STREAM_HARNESS | wc -w) * 2 * 10 ))
EST_OBSERVATION=$(jmh_estimate "$OBSERVATION_CELLS" 1 "$OBSERVATION_WI" 1s "$OBSERVATION_I" 1s)
EST_INCOMPRESSIBLE=$(( $(echo $INCOMPRESSIBLE_FILES | wc -w) * (INCOMPRESSIBLE_ROUNDS + 2) * 3 ))
EST_HARNESS=$(awk -v c="$HARNESS_CELLS" -v s="$HARNESS_SECONDS" 'BEGIN { printf "%d", c * (s + (s / 5 < 2 ? s / 5 : 2) + 2) }')
EST_GLIDE=$(awk -v c="$GLIDE_CELLS" -v s="$GLIDE_SECONDS" -v w="$GLIDE_WARMUP" 'BEGIN { printf "%d", c * (2 * (s + w) + 1.5) }')
EST_INTEGRITY=$([ "${SMOKE:-0}" = 1 ] && echo 10 || echo 60)
EST_REPORT=10
EST_TOTAL=$(( EST_BUILD + EST_RATIO + EST_MAIN + EST_LARGE + EST_TARGET + EST_BIG + EST_STREAM + EST_STREAM_HARNESS \
	+ EST_OBSERVATION + EST_INCOMPRESSIBLE + EST_HARNESS + EST_GLIDE + EST_INTEGRITY + EST_REPORT ))

log() { printf '\n=== %s  %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
START=$(date +%s)
STEP_NAME=""
STEP_EST=0
STEP_START=$START
STEPS_DONE=()
# step NAME ESTIMATE_SECONDS: close the previous step (its time, against its estimate), open this one
step() {
	local now
	now=$(date +%s)
	if [ -n "$STEP_NAME" ]; then
		STEPS_DONE+=("$(printf '%-58s %5d s  %5d s' "$STEP_NAME" "$STEP_EST" $((now - STEP_START)))")
	fi
	STEP_NAME="$1"
	STEP_EST="${2:-0}"
	STEP_START=$now
	[ -n "$STEP_NAME" ] && log "$STEP_NAME (estimate $(( STEP_EST / 60 )) min $(( STEP_EST % 60 )) s)"
	return 0
}

log "estimated duration on a quiet 2-core machine: $(( EST_TOTAL / 60 )) min $(( EST_TOTAL % 60 )) s in all (a loaded one takes longer)"
printf '  %-58s %5s\n' build "$EST_BUILD s" "ratios" "$EST_RATIO s" "JMH codec matrix + threshold" "$EST_MAIN s" \
	"JMH values >= 4 KB" "$EST_LARGE s" "JMH target cells (-f $TARGET_FORKS)" "$EST_TARGET s" \
	"LargeValueBenchmark -prof gc" "$EST_BIG s" "StreamingJsonBenchmark -prof gc" "$EST_STREAM s" \
	"StreamingJsonHarness" "$EST_STREAM_HARNESS s" "ObservationBenchmark" "$EST_OBSERVATION s" \
	"IncompressibleInputReport" "$EST_INCOMPRESSIBLE s" "RedisMemoryHarness" "$EST_HARNESS s" \
	"GlideComparisonHarness" "$EST_GLIDE s" "GLIDE integrity" "$EST_INTEGRITY s" "plot + report" "$EST_REPORT s" >&2

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	step "build" "$EST_BUILD"
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
	echo "jmh: -f $FORKS -wi $WI -w $W -i $I -r $R -prof gc; target cells: -f $TARGET_FORKS -wi $TARGET_WI -w 1s -i $TARGET_I -r 1s;" \
		"harness: --seconds $HARNESS_SECONDS; glide: --seconds $GLIDE_SECONDS --warmup $GLIDE_WARMUP --rounds $GLIDE_ROUNDS"
	echo "estimated duration: $(( EST_TOTAL / 60 )) min"
	echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
} | tee "$RESULTS/machine.txt" >&2
# the load average at each step's start, for the report
load_mark() { echo "$1: load $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S)" >> "$RESULTS/load.txt"; }
: > "$RESULTS/load.txt"

step "compression ratios (RatioReport)" "$EST_RATIO"
load_mark ratios
"$JAVA" -Dresults.dir="$RESULTS" -cp "$JAR" io.github.compressredis.benchmarks.RatioReport "${RATIO_ARGS[@]}" | tee "$RESULTS/ratios.md"

JMH_COMMON=(-f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R" -prof gc -rf json)

step "JMH: every codec on every corpus file, both directions; threshold overhead" "$EST_MAIN"
load_mark "codec matrix"
"$JAVA" -jar "$JAR" 'CodecBenchmark|ThresholdBenchmark' "${JMH_COMMON[@]}" "${MAIN_ARGS[@]}" \
	-rff "$RESULTS/jmh.json" 2>&1 | tee "$RESULTS/jmh.log"

step "JMH: values >= 4 KB only, serializer vs native codecs" "$EST_LARGE"
load_mark "values >= 4 KB"
"$JAVA" -jar "$JAR" CodecBenchmark "${JMH_COMMON[@]}" \
	-p "file=$LARGE_FILES" -p "codec=$LARGE_CODECS" \
	-rff "$RESULTS/jmh-4k.json" 2>&1 | tee "$RESULTS/jmh-4k.log"

# enough forks that a cell's error bars do not decide a target; no -prof gc (the main step has
# the allocation), so nothing but the codec runs in the measured fork
step "JMH: the target cells, $TARGET_FORKS forks (lz4 compress, zstd decompress)" "$EST_TARGET"
load_mark "target cells"
"$JAVA" -jar "$JAR" 'CodecBenchmark.compress$' -f "$TARGET_FORKS" -wi "$TARGET_WI" -w 1s -i "$TARGET_I" -r 1s -rf json \
	-p "file=$TARGET_LZ4_FILES" -p "codec=$TARGET_LZ4_CODECS" \
	-rff "$RESULTS/jmh-targets-lz4.json" 2>&1 | tee "$RESULTS/jmh-targets-lz4.log"
"$JAVA" -jar "$JAR" 'CodecBenchmark.decompress$' -f "$TARGET_FORKS" -wi "$TARGET_WI" -w 1s -i "$TARGET_I" -r 1s -rf json \
	-p "file=$TARGET_ZSTD_FILES" -p "codec=$TARGET_ZSTD_CODECS" \
	-rff "$RESULTS/jmh-targets-zstd.json" 2>&1 | tee "$RESULTS/jmh-targets-zstd.log"

step "JMH: big values, heap allocated per call (LargeValueBenchmark -prof gc)" "$EST_BIG"
load_mark "big values"
"$JAVA" -jar "$JAR" LargeValueBenchmark -f 1 -wi 1 -w 1s -i "$BIG_I" -r 1s -prof gc -rf json "${BIG_ARGS[@]}" \
	-rff "$RESULTS/large-values.json" 2>&1 | tee "$RESULTS/large-values.log"

step "JMH: streaming JSON against the byte-array path (StreamingJsonBenchmark -prof gc)" "$EST_STREAM"
load_mark "streaming JSON"
"$JAVA" -jar "$JAR" StreamingJsonBenchmark -f 1 -wi 1 -w 1s -i "$BIG_I" -r 1s -prof gc -rf json "${STREAM_ARGS[@]}" \
	-rff "$RESULTS/streaming-json.json" 2>&1 | tee "$RESULTS/streaming-json.log"

step "streaming JSON, one write and one read per JVM with a low -Xmx (StreamingJsonHarness)" "$EST_STREAM_HARNESS"
load_mark "streaming JSON harness"
: > "$RESULTS/streaming-harness.txt"
for run in $STREAM_HARNESS; do
	for mode in bytes streaming; do
		# an OutOfMemoryError is a result here (the harness exits 1 and says where it happened)
		"$JAVA" "-Xmx${run#*:}" -cp "$JAR" io.github.compressredis.benchmarks.StreamingJsonHarness "$mode" "${run%%:*}" \
			2>&1 | grep '^mode=' | tee -a "$RESULTS/streaming-harness.txt" || true
	done
done

step "JMH: what timing each value costs (ObservationBenchmark)" "$EST_OBSERVATION"
load_mark "observation"
"$JAVA" -jar "$JAR" ObservationBenchmark -f 1 -wi "$OBSERVATION_WI" -w 1s -i "$OBSERVATION_I" -r 1s -rf json "${OBSERVATION_ARGS[@]}" \
	-rff "$RESULTS/observation.json" 2>&1 | tee "$RESULTS/observation.log"

step "already compressed input (IncompressibleInputReport)" "$EST_INCOMPRESSIBLE"
load_mark "incompressible input"
: > "$RESULTS/incompressible.md"
for file in $INCOMPRESSIBLE_FILES; do
	"$JAVA" -cp "$JAR" io.github.compressredis.benchmarks.IncompressibleInputReport "$file" "$INCOMPRESSIBLE_ROUNDS" \
		| tee -a "$RESULTS/incompressible.md"
	echo >> "$RESULTS/incompressible.md"
done

step "Redis memory and latency harness" "$EST_HARNESS"
load_mark "redis harness"
"$JAVA" -Dresults.dir="$RESULTS" -cp "$JAR" io.github.compressredis.benchmarks.RedisMemoryHarness --seconds "$HARNESS_SECONDS" "${HARNESS_ARGS[@]}" \
	| tee "$RESULTS/redis-memory.md"

step "GLIDE comparison harness" "$EST_GLIDE"
load_mark "GLIDE comparison"
"$JAVA" -Dresults.dir="$RESULTS" -cp "$JAR" io.github.compressredis.benchmarks.GlideComparisonHarness \
	--seconds "$GLIDE_SECONDS" --warmup "$GLIDE_WARMUP" --rounds "$GLIDE_ROUNDS" "${GLIDE_ARGS[@]}" \
	| tee "$RESULTS/glide-comparison.md"

step "GLIDE comparison: one flipped byte" "$EST_INTEGRITY"
load_mark "GLIDE integrity"
"$JAVA" -Dresults.dir="$RESULTS" -cp "$JAR" io.github.compressredis.benchmarks.GlideComparisonHarness \
	--integrity "${INTEGRITY_ARGS[@]}" | tee "$RESULTS/glide-integrity.md"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS/machine.txt" >&2

step "plot and report" "$EST_REPORT"
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
step ""
{
	echo "step                                                       estimate  took"
	printf '%s\n' "${STEPS_DONE[@]}"
	echo "total: estimated $(( EST_TOTAL / 60 )) min, took $(( ($(date +%s) - START) / 60 )) min"
} > "$RESULTS/steps.txt"
python3 benchmarks/report.py "$RESULTS" | tee "$RESULTS/report.md"

log "done in $(( ($(date +%s) - START) / 60 )) min $(( ($(date +%s) - START) % 60 )) s; results in $RESULTS"
cat "$RESULTS/steps.txt" >&2
