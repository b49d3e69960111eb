#!/usr/bin/env bash
# Side-by-side benchmarks of Strata, Prometheus 2.42 and VictoriaMetrics 1.79 (issue 7).
#
#   tools/bench/run.sh [smoke|all|PHASE...]     PHASE: ingest, storage, query
#
# Starts each system with a fresh data dir on loopback, feeds each the same pre-generated
# strata-avalanche data, interleaves the systems (A B C A B C ...) over BENCH_REPS repetitions,
# stops everything it started, and writes the figures (medians, min-max, Strata/peer ratios)
# into docs/benchmarks.md; `smoke` uses tiny sizes and writes to a temp file instead.
# Sizes: BENCH_SERIES (10000), BENCH_SAMPLES (240, at 15 s; ingest and storage),
# BENCH_QUERY_SAMPLES (1440 = 6 h, the query phase), BENCH_REPS (3), BENCH_QUERY_REPS (5),
# BENCH_CONNECTIONS (4), BENCH_SERIES_PER_REQUEST (2000), BENCH_QUERY_BLOCK_DURATION (2h,
# Strata's block_store in the query phase), BENCH_STRATA_TOLERANCE (1e-9, Strata against
# Prometheus), BENCH_DOC (docs/benchmarks.md). Build dir: STRATA_BUILD (default <repo>/build)
# with bin/strata, bin/strata-avalanche and the plugins.
set -euo pipefail

MODE=${*:-all}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STRATA_BUILD=${STRATA_BUILD:-$ROOT/build}
STRATA_BIN=$STRATA_BUILD/bin/strata
AVALANCHE=$STRATA_BUILD/bin/strata-avalanche
source "$HERE/lib/procs.sh"
source "$HERE/lib/systems.sh"

case $MODE in
  smoke)  # the query phase spans 25 min with 10 min blocks: queries read blocks and head
    SERIES=300 SAMPLES=100 QUERY_SAMPLES=100 REPS=1 QUERY_REPS=2 CONNS=2 SPR=100
    QUERY_BLOCK_DURATION=10m PHASES="ingest storage query" ;;
  *)
    SERIES=${BENCH_SERIES:-10000} SAMPLES=${BENCH_SAMPLES:-240} REPS=${BENCH_REPS:-3}
    QUERY_SAMPLES=${BENCH_QUERY_SAMPLES:-1440} QUERY_REPS=${BENCH_QUERY_REPS:-5}
    CONNS=${BENCH_CONNECTIONS:-4} SPR=${BENCH_SERIES_PER_REQUEST:-2000}
    QUERY_BLOCK_DURATION=${BENCH_QUERY_BLOCK_DURATION:-2h}
    PHASES=$MODE
    [ "$MODE" = all ] && PHASES="ingest storage query"
    for phase in $PHASES; do
      case $phase in ingest | storage | query) ;;
        *) echo "usage: $0 [smoke|all|ingest|storage|query ...]" >&2; exit 2 ;;
      esac
    done ;;
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
if [ "$MODE" = smoke ] && { [ "$STRATA_STORE" != block_store ] || ! strata_has_query_api; }; then
  bench_fail "smoke needs the block_store and promql_api plugins built in $STRATA_BUILD"
fi
NOW_MS=$(($(date +%s) * 1000))
TOTAL=$((SERIES * SAMPLES))
SEND=(--connections="$CONNS" --series-per-request="$SPR")
# use_data SAMPLES START_MS: the data a phase sends (GEN, START_MS, LAST_MS, TOTAL).
use_data() {
  START_MS=$2
  LAST_MS=$((START_MS + ($1 - 1) * INTERVAL_MS))
  TOTAL=$((SERIES * $1))
  GEN=(--series="$SERIES" --samples="$1" --interval="$INTERVAL_MS" --start-ms="$START_MS"
    --metrics=10 --labels=3 --label-cardinality=10 --gauge-ratio=0.4 --histogram-ratio=0.2
    --histogram-buckets=8 --seed=1)
}
# Data ending now (Prometheus' head refuses samples far behind its newest).
recent_start() { echo $(((NOW_MS / INTERVAL_MS - $1) * INTERVAL_MS)); }
echo "bench: $MODE: $SERIES series x $SAMPLES samples (query: x ${QUERY_SAMPLES}), $REPS reps," \
  "strata store: $STRATA_STORE, scratch $WORK"

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

start_or_fail() {  # system dir [strata's block_store options]
  "start_$1" "$2" "${3:-}" ||
    bench_fail "$1 did not start; log: $2/log: $(tail -3 "$2/log" 2>/dev/null)"
}

phase_ingest() {
  local rep sys dir idle t0 t1 line acked secs
  use_data "$SAMPLES" "$(recent_start "$SAMPLES")"
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
      [ "$sys" = strata ] && [ "$STRATA_STORE" = block_store ] && strata_check_stored "$TOTAL"
      stop_pid "$SYS_PID"
      rm -rf "$dir/data"
    done
  done
}

# Strata's block_duration in the storage phase when its block_store cannot seal the head on
# stop (seal_head_on_stop): the longest divisor of 2 h that the data span
# exceeds 1.5 times (block_store seals its oldest range once the head spans that much), so the
# sealed block holds as many samples per series as this span allows. Seconds.
storage_block_seconds() {
  local d
  for d in 3600 1800 1200 900 600 300 120 60; do
    [ $((d * 3)) -lt $(($1 * 2)) ] && { echo "$d"; return; }
  done
  bench_fail "storage data span of $1 s is too short to seal a block"
}

# record_blocks SYSTEM REP DIR [EXPECTED_SAMPLES]: bytes per sample of the TSDB blocks under
# DIR (meta.json stats); fails when they do not hold EXPECTED_SAMPLES.
record_blocks() {
  local j
  j=$(python3 "$HERE/lib/blocks.py" "$3") || bench_fail "$1: no readable blocks under $3"
  [ -z "${4:-}" ] || [ "$(jq_field "$j" samples)" = "$4" ] ||
    bench_fail "$1: the blocks hold $(jq_field "$j" samples) samples, expected $4"
  record storage "$1" bytes_per_sample "$2" "$(jq_field "$j" bytes_per_sample)"
  record storage "$1" index_bytes_per_sample "$2" "$(jq_field "$j" index_bytes_per_sample)"
  record storage "$1" chunk_bytes_per_sample "$2" "$(jq_field "$j" chunk_bytes_per_sample)"
  record storage "$1" block_samples "$2" "$(jq_field "$j" samples)"
  record storage "$1" blocks "$2" "$(jq_field "$j" blocks)"
  echo "bench: storage rep $2 $1: $j"
}
jq_field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

# wait_sealed DIR SECONDS: until a block (meta.json) exists and none is being written (*.tmp).
wait_sealed() {
  local deadline=$((SECONDS + $2))
  until [ -n "$(find "$1" -name meta.json -print -quit 2>/dev/null)" ] &&
    [ -z "$(find "$1" -name '*.tmp' -print -quit 2>/dev/null)" ]; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

phase_storage() {
  local rep sys dir bytes line om=$WORK/data.om opts
  # Start on a 2 h boundary: promtool's 2 h blocks and Strata's shorter ones both begin with
  # the data instead of cutting it at an arbitrary point.
  use_data "$SAMPLES" $((($(recent_start "$SAMPLES") / 7200000) * 7200000))
  if [ "$STRATA_STORE" = block_store ] && strata_store_has_option seal_head_on_stop; then
    # Prometheus' 2 h blocks, the whole head written as blocks at the clean stop.
    STORAGE_SEAL=on_stop STORAGE_BLOCK_S=7200 opts="seal_head_on_stop: true"
  else
    STORAGE_SEAL=cut
    STORAGE_BLOCK_S=$(storage_block_seconds $(((SAMPLES - 1) * INTERVAL_MS / 1000)))
    opts="block_duration: ${STORAGE_BLOCK_S}s"
  fi
  "$AVALANCHE" openmetrics --out="$om" "${GEN[@]}" >/dev/null 2>>"$WORK/avalanche.log"
  for rep in $(seq "$REPS"); do
    for sys in "${SYSTEMS[@]}"; do
      dir=$WORK/storage-$sys-$rep
      case $sys in
        prometheus)
          # 2.42 has no API to compact its head: build the same data into blocks with promtool.
          mkdir -p "$dir"
          promtool tsdb create-blocks-from openmetrics "$om" "$dir/blocks" >"$dir.log" 2>&1 ||
            bench_fail "promtool create-blocks-from openmetrics: $(tail -3 "$dir.log")"
          line=$(awk 'length($1) == 26 && $1 ~ /^[0-9A-Z]+$/ { n += $5 } END { print n + 0 }' "$dir.log")
          [ "$line" = "$TOTAL" ] || bench_fail "promtool wrote $line samples, expected $TOTAL"
          record_blocks prometheus "$rep" "$dir/blocks" ;;
        strata)
          start_or_fail strata "$dir" "$opts"
          send strata >/dev/null
          [ "$STRATA_STORE" = block_store ] && strata_check_stored "$TOTAL"
          [ "$STORAGE_SEAL" = cut ] && { wait_sealed "$SYS_DATA" 60 ||
            bench_fail "strata sealed no block within 60 s of the ingest"; }
          stop_pid "$SYS_PID"  # a clean stop
          record storage strata data_dir_bytes_per_sample "$rep" \
            "$(awk -v b="$(dir_bytes "$SYS_DATA")" -v n="$TOTAL" 'BEGIN{print b/n}')"
          if [ "$STORAGE_SEAL" = on_stop ]; then record_blocks strata "$rep" "$SYS_DATA" "$TOTAL"
          elif [ "$STRATA_STORE" = block_store ]; then record_blocks strata "$rep" "$SYS_DATA"; fi ;;
        victoriametrics)
          start_or_fail "$sys" "$dir"
          send "$sys" >/dev/null
          persist_victoriametrics
          stop_pid "$SYS_PID"  # a clean stop flushes what is buffered
          bytes=$(dir_bytes "$SYS_DATA")
          record storage "$sys" bytes_per_sample "$rep" \
            "$(awk -v b="$bytes" -v n="$TOTAL" 'BEGIN{print b/n}')"
          echo "bench: storage rep $rep $sys: $bytes bytes at rest" ;;
      esac
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
  local sys urls=() deadline blocks
  use_data "$QUERY_SAMPLES" "$(recent_start "$QUERY_SAMPLES")"
  for sys in "${SYSTEMS[@]}"; do
    start_or_fail "$sys" "$WORK/query-$sys" "block_duration: $QUERY_BLOCK_DURATION"
    if [ -z "$SYS_QUERY_URL" ]; then
      echo "bench: query: $sys has no query API in this build, left out"
      stop_pid "$SYS_PID"
      continue
    fi
    send "$sys" >/dev/null
    [ "$sys" = victoriametrics ] && curl -fsS "$SYS_QUERY_URL/internal/force_flush" >/dev/null
    deadline=$((SECONDS + 60))
    until [ "$(series_at_end "$SYS_QUERY_URL")" = "$SERIES" ]; do
      [ $SECONDS -lt $deadline ] || bench_fail "$sys does not show $SERIES series after ingest"
      sleep 0.5
    done
    settle_cpu "$SYS_PID"  # head compaction (Prometheus), merges (VictoriaMetrics), block cuts
    if [ "$sys" = strata ]; then
      strata_check_stored "$TOTAL"
      blocks=$(find "$SYS_DATA" -name meta.json 2>/dev/null | wc -l)
      record query strata sealed_blocks 0 "$blocks"
      echo "bench: query: strata holds $blocks sealed blocks and its head"
    fi
    urls+=(--system "$sys=$SYS_QUERY_URL")
  done
  python3 "$HERE/lib/query_bench.py" --queries "$HERE/queries.txt" --first-ms "$START_MS" \
    --last-ms "$LAST_MS" --reps "$QUERY_REPS" --out "$RESULTS" --ref prometheus \
    --exact "strata=${BENCH_STRATA_TOLERANCE:-1e-9}" "${urls[@]}" || QUERY_FAILED=1
  stop_all_started
  rm -rf "$WORK"/query-*/data
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
T_BEGIN=$SECONDS
QUERY_FAILED=0
STORAGE_BLOCK_S= STORAGE_SEAL=
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
  "query_samples": $QUERY_SAMPLES, "query_block_duration": "$QUERY_BLOCK_DURATION",
  "storage_block_s": ${STORAGE_BLOCK_S:-0}, "storage_seal": "${STORAGE_SEAL:-}",
  "phases": "$PHASES",
  "interval_s": $((INTERVAL_MS / 1000)), "total_samples": $((SERIES * SAMPLES)), "reps": $REPS,
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
  OUT=${BENCH_DOC:-$ROOT/docs/benchmarks.md}
  python3 "$HERE/lib/report.py" --meta "$META" --results "$RESULTS" --doc "$OUT"
fi
echo "bench: report written to $OUT (raw results: $RESULTS)"
[ "$QUERY_FAILED" = 0 ] || bench_fail "query equality checks failed (see the report)"
echo "bench: OK ($((SECONDS - T_BEGIN)) s)"
