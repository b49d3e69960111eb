#!/usr/bin/env bash
# Side-by-side benchmarks of Strata, Prometheus 2.42 and VictoriaMetrics 1.79 (issue 7).
#
#   tools/bench/run.sh [smoke|ingest|storage|query|all]
#
# Starts each system with a fresh data dir on loopback, feeds each the same pre-generated
# strata-avalanche data, interleaves the systems (A B C A B C ...) over BENCH_REPS repetitions,
# stops everything it started, and writes the figures (medians, min-max, Strata/peer ratios)
# into docs/benchmarks.md; `smoke` uses tiny sizes and writes to a temp file instead.
# Sizes: BENCH_SERIES (10000), BENCH_SAMPLES (240, at 15 s), BENCH_REPS (3), BENCH_QUERY_REPS
# (5), BENCH_CONNECTIONS (4), BENCH_SERIES_PER_REQUEST (2000). Build dir: STRATA_BUILD
# (default <repo>/build) with bin/strata and bin/strata-avalanche.
set -euo pipefail

MODE=${1:-all}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STRATA_BUILD=${STRATA_BUILD:-$ROOT/build}
STRATA_BIN=$STRATA_BUILD/bin/strata
AVALANCHE=$STRATA_BUILD/bin/strata-avalanche
source "$HERE/lib/procs.sh"
source "$HERE/lib/systems.sh"

case $MODE in
  smoke)
    SERIES=300 SAMPLES=100 REPS=1 QUERY_REPS=2 CONNS=2 SPR=100
    PHASES="ingest storage query" ;;
  ingest | storage | query | all)
    SERIES=${BENCH_SERIES:-10000} SAMPLES=${BENCH_SAMPLES:-240} REPS=${BENCH_REPS:-3}
    QUERY_REPS=${BENCH_QUERY_REPS:-5} CONNS=${BENCH_CONNECTIONS:-4}
    SPR=${BENCH_SERIES_PER_REQUEST:-2000}
    PHASES=$MODE
    [ "$MODE" = all ] && PHASES="ingest storage query" ;;
  *) echo "usage: $0 [smoke|ingest|storage|query|all]" >&2; exit 2 ;;
esac
INTERVAL_MS=15000
for tool in "$STRATA_BIN" "$AVALANCHE"; do
  [ -x "$tool" ] || bench_fail "$tool not built (set STRATA_BUILD; ninja strata strata-avalanche)"
done
for tool in prometheus promtool victoria-metrics curl python3; do
  command -v "$tool" >/dev/null || bench_fail "$tool not installed (see docs/benchmarks.md)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/strata-bench.XXXXXX")
trap 'stop_all_started' EXIT
RESULTS=$WORK/results.jsonl
: >"$RESULTS"
STRATA_STORE=$(strata_store_kind)
NOW_MS=$(($(date +%s) * 1000))
START_MS=$(((NOW_MS / INTERVAL_MS - SAMPLES) * INTERVAL_MS))
LAST_MS=$((START_MS + (SAMPLES - 1) * INTERVAL_MS))
TOTAL=$((SERIES * SAMPLES))
GEN=(--series="$SERIES" --samples="$SAMPLES" --interval="$INTERVAL_MS" --start-ms="$START_MS"
  --metrics=10 --labels=3 --label-cardinality=10 --gauge-ratio=0.4 --histogram-ratio=0.2
  --histogram-buckets=8 --seed=1)
SEND=(--connections="$CONNS" --series-per-request="$SPR")
echo "bench: $MODE: $SERIES series x $SAMPLES samples, $REPS reps, strata store: $STRATA_STORE," \
  "scratch $WORK"

record() {  # section system figure rep value
  printf '{"section":"%s","system":"%s","figure":"%s","rep":%s,"value":%s}\n' "$@" >>"$RESULTS"
}

# send NAME: the pre-generated remote write load into $SYS_WRITE_URL; fails unless all acked.
send() {
  local line
  line=$("$AVALANCHE" remote-write --url="$SYS_WRITE_URL" "${GEN[@]}" "${SEND[@]}" \
    2>>"$WORK/avalanche.log") || bench_fail "$1 did not accept all samples: $line"
  echo "$line"
}
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

start_or_fail() {  # system dir
  "start_$1" "$2" || bench_fail "$1 did not start; log: $2/log: $(tail -3 "$2/log" 2>/dev/null)"
}

phase_ingest() {
  local rep sys dir idle t0 t1 line acked secs
  for rep in $(seq "$REPS"); do
    for sys in "${SYSTEMS[@]}"; do
      dir=$WORK/ingest-$sys-$rep
      start_or_fail "$sys" "$dir"
      settle_cpu "$SYS_PID"
      idle=$(proc_kb "$SYS_PID" VmRSS)
      t0=$(proc_ticks "$SYS_PID")
      line=$(send "$sys")
      settle_cpu "$SYS_PID"  # background work after the acks is part of the ingest cost
      t1=$(proc_ticks "$SYS_PID")
      acked=$(field accepted_samples "$line")
      secs=$(field seconds "$line")
      record ingest "$sys" samples_per_s "$rep" "$(field samples_per_second "$line")"
      record ingest "$sys" cpu_s_per_million "$rep" \
        "$(awk -v t=$((t1 - t0)) -v h="$CLK_TCK" -v n="$acked" 'BEGIN{print t/h/(n/1e6)}')"
      record ingest "$sys" peak_rss_mb "$rep" "$(awk -v k="$(proc_kb "$SYS_PID" VmHWM)" 'BEGIN{print k/1024}')"
      record ingest "$sys" rss_per_series_kb "$rep" \
        "$(awk -v a="$(proc_kb "$SYS_PID" VmRSS)" -v b="$idle" -v s="$SERIES" 'BEGIN{print (a-b)/s}')"
      echo "bench: ingest rep $rep $sys: $acked samples in $secs s"
      stop_pid "$SYS_PID"
      rm -rf "$dir/data"
    done
  done
}

phase_storage() {
  local rep sys dir bytes blocks line om=$WORK/data.om
  "$AVALANCHE" openmetrics --out="$om" "${GEN[@]}" >/dev/null 2>>"$WORK/avalanche.log"
  for rep in $(seq "$REPS"); do
    for sys in "${SYSTEMS[@]}"; do
      dir=$WORK/storage-$sys-$rep
      if [ "$sys" = prometheus ]; then
        # 2.42 has no API to compact its head: build the same data into blocks with promtool.
        promtool tsdb create-blocks-from openmetrics "$om" "$dir/blocks" >"$dir.log" 2>&1 ||
          bench_fail "promtool create-blocks-from openmetrics: $(tail -3 "$dir.log")"
        line=$(awk 'length($1) == 26 && $1 ~ /^[0-9A-Z]+$/ { n += $5 } END { print n + 0 }' "$dir.log")
        [ "$line" = "$TOTAL" ] || bench_fail "promtool wrote $line samples, expected $TOTAL"
        bytes=$(dir_bytes "$dir/blocks")
      else
        start_or_fail "$sys" "$dir"
        send "$sys" >/dev/null
        [ "$sys" = victoriametrics ] && persist_victoriametrics
        stop_pid "$SYS_PID"  # a clean stop flushes what is buffered
        bytes=$(dir_bytes "$SYS_DATA")
        if [ "$sys" = strata ]; then
          blocks=$(find "$SYS_DATA" -name meta.json 2>/dev/null | wc -l)
          record storage strata sealed_blocks "$rep" "$blocks"
        fi
      fi
      record storage "$sys" bytes_per_sample "$rep" "$(awk -v b="$bytes" -v n="$TOTAL" 'BEGIN{print b/n}')"
      echo "bench: storage rep $rep $sys: $bytes bytes at rest"
      rm -rf "$dir/data" "$dir/blocks"
    done
  done
}

# The number of avalanche series a system answers for at the last sample.
series_at_end() {
  curl -fsS "$1/api/v1/query" --data-urlencode 'query=count({__name__=~"avalanche_.+"})' \
    --data-urlencode "time=$((LAST_MS / 1000))" | python3 -c \
    'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)'
}

phase_query() {
  local sys urls=() deadline
  for sys in prometheus victoriametrics; do
    start_or_fail "$sys" "$WORK/query-$sys"
    send "$sys" >/dev/null
    [ "$sys" = victoriametrics ] && curl -fsS "$SYS_QUERY_URL/internal/force_flush" >/dev/null
    deadline=$((SECONDS + 60))
    until [ "$(series_at_end "$SYS_QUERY_URL")" = "$SERIES" ]; do
      [ $SECONDS -lt $deadline ] || bench_fail "$sys does not show $SERIES series after ingest"
      sleep 0.5
    done
    urls+=(--system "$sys=$SYS_QUERY_URL")
  done
  python3 "$HERE/lib/query_bench.py" --queries "$HERE/queries.txt" --first-ms "$START_MS" \
    --last-ms "$LAST_MS" --reps "$QUERY_REPS" --out "$RESULTS" "${urls[@]}" ||
    QUERY_FAILED=1
  stop_all_started
  rm -rf "$WORK"/query-*/data
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
T_BEGIN=$SECONDS
QUERY_FAILED=0
for phase in $PHASES; do "phase_$phase"; done
stop_all_started
rm -f "$WORK/data.om"  # the data dirs went after each repetition; logs and results stay

META=$WORK/meta.json
python3 - "$META" <<PY
import json, sys
json.dump({
  "mode": "$MODE", "date": "$(date -u +%Y-%m-%dT%H:%MZ)", "nproc": $(nproc),
  "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')",
  "ram_gib": round($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1048576, 1),
  "load_before": "$LOAD_BEFORE", "load_after": "$(cut -d' ' -f1-3 /proc/loadavg)",
  "seconds": $((SECONDS - T_BEGIN)), "series": $SERIES, "samples": $SAMPLES,
  "interval_s": $((INTERVAL_MS / 1000)), "total_samples": $TOTAL, "reps": $REPS,
  "query_reps": $QUERY_REPS, "connections": $CONNS, "series_per_request": $SPR,
  "strata_store": "$STRATA_STORE", "build": "$STRATA_BUILD",
  "build_type": "$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$STRATA_BUILD/CMakeCache.txt" 2>/dev/null)",
  "versions": {"strata": "$(system_version strata)", "prometheus": "$(system_version prometheus)",
               "victoriametrics": "$(system_version victoriametrics)"},
}, open(sys.argv[1], "w"), indent=1)
PY
if [ "$MODE" = smoke ]; then
  OUT=$WORK/benchmarks-smoke.md
  python3 "$HERE/lib/report.py" --meta "$META" --results "$RESULTS" --standalone "$OUT"
else
  OUT=$ROOT/docs/benchmarks.md
  python3 "$HERE/lib/report.py" --meta "$META" --results "$RESULTS" --doc "$OUT"
fi
echo "bench: report written to $OUT (raw results: $RESULTS)"
[ "$QUERY_FAILED" = 0 ] || bench_fail "query equality checks failed (see the report)"
echo "bench: OK ($((SECONDS - T_BEGIN)) s)"
