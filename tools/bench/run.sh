#!/usr/bin/env bash
# Side-by-side benchmarks of Strata, Prometheus 2.42 and VictoriaMetrics 1.79 (issue 7).
#
#   tools/bench/run.sh [smoke|all|PHASE...]   PHASE: ingest, scrape, storage, query, restart
#
# Starts each system with a fresh data dir on loopback, feeds each the same pre-generated
# strata-avalanche data, interleaves the systems (A B C A B C ...) over BENCH_REPS repetitions
# (ingest: Strata also over remote write 2.0, which the two peers do not accept),
# stops everything it started, and writes the figures (medians, min-max, Strata/peer ratios)
# into docs/benchmarks.md; `smoke` uses tiny sizes and writes to a temp file instead.
# Sizes: BENCH_SERIES (10000), BENCH_SAMPLES (240, at 15 s; ingest, storage and restart),
# BENCH_QUERY_SAMPLES (1440 = 6 h, the query phase), BENCH_REPS (3), BENCH_QUERY_REPS (5),
# BENCH_CONNECTIONS (4), BENCH_SERIES_PER_REQUEST (2000), BENCH_QUERY_BLOCK_DURATION (2h,
# Strata's block_store in the query phase), BENCH_STRATA_TOLERANCE (1e-9, Strata against
# Prometheus), BENCH_DOC (docs/benchmarks.md). Scrape phase: BENCH_PARSE_SERIES (100000, the
# synthetic exposition parsed), BENCH_PARSE_REPS (5), BENCH_SCRAPE_INTERVAL (5, seconds),
# BENCH_SCRAPES (10 measured scrape intervals per agent run; BENCH_SERIES series scraped).
# Restart phase: BENCH_RESTART_SIGNAL (KILL or TERM), BENCH_SELECT_REPS (10). Build dir:
# STRATA_BUILD (default <repo>/build) with bin/strata, bin/strata-avalanche,
# bin/strata-parse-bench and the plugins.
set -euo pipefail

MODE=${*:-all}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STRATA_BUILD=${STRATA_BUILD:-$ROOT/build}
STRATA_BIN=$STRATA_BUILD/bin/strata
AVALANCHE=$STRATA_BUILD/bin/strata-avalanche
PARSE_BENCH=$STRATA_BUILD/bin/strata-parse-bench
source "$HERE/lib/procs.sh"
source "$HERE/lib/systems.sh"

case $MODE in
  smoke)  # the query phase spans 25 min with 10 min blocks: queries read blocks and head.
    # One connection: Prometheus 2.42 can refuse a write as "out of bounds" when two arrive
    # at once on its empty head (a race in its head's init, prometheus/prometheus#18629; seen
    # beside a ctest run). Smoke checks the plumbing, not speed.
    SERIES=300 SAMPLES=100 QUERY_SAMPLES=100 REPS=1 QUERY_REPS=2 CONNS=1 SPR=100
    QUERY_BLOCK_DURATION=10m PHASES="ingest storage query scrape restart"
    PARSE_SERIES=1000 PARSE_REPS=1 PARSE_MIN_S=0.05 SCRAPE_INTERVAL_S=1 SCRAPES=3
    RESTART_SIGNAL=KILL SELECT_REPS=2 ;;
  *)
    SERIES=${BENCH_SERIES:-10000} SAMPLES=${BENCH_SAMPLES:-240} REPS=${BENCH_REPS:-3}
    QUERY_SAMPLES=${BENCH_QUERY_SAMPLES:-1440} QUERY_REPS=${BENCH_QUERY_REPS:-5}
    CONNS=${BENCH_CONNECTIONS:-4} SPR=${BENCH_SERIES_PER_REQUEST:-2000}
    QUERY_BLOCK_DURATION=${BENCH_QUERY_BLOCK_DURATION:-2h}
    PARSE_SERIES=${BENCH_PARSE_SERIES:-100000} PARSE_REPS=${BENCH_PARSE_REPS:-5} PARSE_MIN_S=0.5
    SCRAPE_INTERVAL_S=${BENCH_SCRAPE_INTERVAL:-5} SCRAPES=${BENCH_SCRAPES:-10}
    RESTART_SIGNAL=${BENCH_RESTART_SIGNAL:-KILL} SELECT_REPS=${BENCH_SELECT_REPS:-10}
    PHASES=$MODE
    [ "$MODE" = all ] && PHASES="ingest scrape storage query restart"
    for phase in $PHASES; do
      case $phase in ingest | scrape | storage | query | restart) ;;
        *) echo "usage: $0 [smoke|all|ingest|scrape|storage|query|restart ...]" >&2; exit 2 ;;
      esac
    done ;;
esac
case $RESTART_SIGNAL in KILL | TERM) ;; *) bench_fail "BENCH_RESTART_SIGNAL: KILL or TERM" ;; esac
has_phase() { [[ " $PHASES " == *" $1 "* ]]; }
INTERVAL_MS=15000
for tool in "$STRATA_BIN" "$AVALANCHE"; do
  [ -x "$tool" ] || bench_fail "$tool not built (set STRATA_BUILD; ninja strata strata-avalanche)"
done
for tool in prometheus promtool victoria-metrics curl python3; do
  command -v "$tool" >/dev/null || bench_fail "$tool not installed (see docs/benchmarks.md)"
done
if has_phase scrape; then
  [ -x "$PARSE_BENCH" ] || bench_fail "$PARSE_BENCH not built (ninja strata-parse-bench)"
  command -v prometheus-node-exporter >/dev/null ||
    bench_fail "prometheus-node-exporter not installed (see docs/benchmarks.md)"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/strata-bench.XXXXXX")
trap 'stop_all_started' EXIT
RESULTS=$WORK/results.jsonl
: >"$RESULTS"
STRATA_STORE=$(strata_store_kind)
if { [ "$MODE" = smoke ] || has_phase restart; } &&
  { [ "$STRATA_STORE" != block_store ] || ! strata_has_query_api; }; then
  bench_fail "$MODE needs the block_store and promql_api plugins built in $STRATA_BUILD"
fi
if has_phase scrape && ! strata_has_edge_plugins; then
  bench_fail "scrape needs the prometheus_scrape receiver and remote_write exporter" \
    "plugins built in $STRATA_BUILD"
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

# send NAME [PROTOCOL]: the pre-generated remote write load (PROTOCOL 1.0, the default, or
# 2.0) into $SYS_WRITE_URL; fails unless all acked (and, for 2.0, unless every answer's
# X-Prometheus-Remote-Write-Samples-Written equals the samples of its request).
send() {
  local line
  line=$("$AVALANCHE" remote-write --url="$SYS_WRITE_URL" --protocol="${2:-1.0}" "${GEN[@]}" \
    "${SEND[@]}" 2>>"$WORK/avalanche.log") || bench_fail "$1 did not accept all samples: $line"
  if [ "${2:-1.0}" = 2.0 ] && [ "$(field unconfirmed_requests "$line")" != 0 ]; then
    bench_fail "$1 answered remote write 2.0 without X-Prometheus-Remote-Write-Samples-Written: $line"
  fi
  echo "$line"
}
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

start_or_fail() {  # system dir [strata's block_store options]
  "start_$1" "$2" "${3:-}" ||
    bench_fail "$1 did not start; log: $2/log: $(tail -3 "$2/log" 2>/dev/null)"
}

# The ingest runs of one repetition, interleaved: each system over remote write 1.0, and Strata
# once more over 2.0 right after its 1.0 run (Prometheus 2.42 and VictoriaMetrics 1.79 have no
# 2.0 receiver: they would parse a 2.0 body as an empty 1.0 one). SYSTEM or SYSTEM@2.0.
ingest_runs() {
  local sys
  for sys in "${SYSTEMS[@]}"; do
    echo "$sys"
    [ "$sys" = strata ] && echo strata@2.0
  done
}

phase_ingest() {
  local rep run sys proto section dir idle t0 t1 line acked secs
  use_data "$SAMPLES" "$(recent_start "$SAMPLES")"
  for rep in $(seq "$REPS"); do
    for run in $(ingest_runs); do
      sys=${run%@*} proto=1.0 section=ingest dir=$WORK/ingest-$sys-$rep
      if [ "$run" != "$sys" ]; then
        proto=${run#*@} section=ingest_rw2 dir=$WORK/ingest-$sys-rw2-$rep
      fi
      start_or_fail "$sys" "$dir"
      settle_cpu "$SYS_PID"
      idle=$(proc_kb "$SYS_PID" VmRSS)
      t0=$(proc_ticks "$SYS_PID")
      line=$(send "$sys" "$proto")
      settle_cpu "$SYS_PID"  # background work after the acks is part of the ingest cost
      t1=$(proc_ticks "$SYS_PID")
      acked=$(field accepted_samples "$line")
      secs=$(field seconds "$line")
      record "$section" "$sys" samples_per_s "$rep" "$(field samples_per_second "$line")"
      record "$section" "$sys" cpu_s_per_million "$rep" \
        "$(awk -v t=$((t1 - t0)) -v h="$CLK_TCK" -v n="$acked" 'BEGIN{print t/h/(n/1e6)}')"
      record "$section" "$sys" peak_rss_mb "$rep" "$(awk -v k="$(proc_kb "$SYS_PID" VmHWM)" 'BEGIN{print k/1024}')"
      record "$section" "$sys" rss_per_series_kb "$rep" \
        "$(awk -v a="$(proc_kb "$SYS_PID" VmRSS)" -v b="$idle" -v s="$SERIES" 'BEGIN{print (a-b)/s}')"
      record "$section" "$sys" wire_bytes_per_sample "$rep" \
        "$(awk -v b="$(field wire_bytes "$line")" -v n="$acked" 'BEGIN{print b/n}')"
      echo "bench: ingest rep $rep $sys (remote write $proto): $acked samples in $secs s"
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

# capture URL FILE: one scrape's body, as a scraper asks for it (text format 0.0.4).
capture() {
  curl -fsS -H 'Accept: text/plain;version=0.0.4' -o "$2" "$1" ||
    bench_fail "could not capture $1"
}

# The exposition parser against a plain memory scan, on a real node-exporter's /metrics and on a
# PARSE_SERIES-series synthetic one, both captured now (nothing captured is kept).
scrape_parse() {
  local port pid
  port=$(free_port)
  prometheus-node-exporter --web.listen-address="127.0.0.1:$port" >"$WORK/node-exporter.log" 2>&1 &
  pid=$!
  BENCH_PIDS+=("$pid")
  wait_http "http://127.0.0.1:$port/metrics" 20 "$pid" || bench_fail "node-exporter did not start"
  capture "http://127.0.0.1:$port/metrics" "$WORK/node-exporter.prom"
  stop_pid "$pid"
  port=$(free_port)
  use_data 1 "$(recent_start 1)"
  "$AVALANCHE" serve --listen="127.0.0.1:$port" "${GEN[@]}" --series="$PARSE_SERIES" \
    >"$WORK/avalanche-parse.log" 2>&1 &
  pid=$!
  BENCH_PIDS+=("$pid")
  wait_http "http://127.0.0.1:$port/metrics" 60 "$pid" || bench_fail "strata-avalanche serve did not start"
  capture "http://127.0.0.1:$port/metrics" "$WORK/synthetic.prom"
  stop_pid "$pid"
  "$PARSE_BENCH" --reps="$PARSE_REPS" --min-seconds="$PARSE_MIN_S" \
    node_exporter="$WORK/node-exporter.prom" synthetic="$WORK/synthetic.prom" >>"$RESULTS" ||
    bench_fail "strata-parse-bench failed"
  rm -f "$WORK/synthetic.prom" "$WORK/node-exporter.prom"
}

# sink_series URL CLUSTER: the avalanche series the sink holds from one agent run.
sink_series() {
  curl -fsS "$1/api/v1/query" --data-urlencode \
    "query=count(count_over_time({__name__=~\"avalanche_.+\",cluster=\"$2\"}[1h]))" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)'
}

# Edge agent memory and CPU: Strata's edge-agent.yaml and a Prometheus agent scraping the same
# SERIES-series strata-avalanche target every SCRAPE_INTERVAL_S, remote-writing to one
# VictoriaMetrics sink; figures after 2 warm-up intervals and SCRAPES measured ones.
scrape_agents() {
  local port av_pid sink_pid sink_url rep sys dir t0 t1 got=0 deadline
  start_or_fail victoriametrics "$WORK/scrape-sink"
  sink_pid=$SYS_PID sink_url=$SYS_QUERY_URL
  port=$(free_port)
  use_data 64 "$(recent_start 64)"
  "$AVALANCHE" serve --listen="127.0.0.1:$port" "${GEN[@]}" \
    --interval=$((SCRAPE_INTERVAL_S * 1000)) \
    >"$WORK/avalanche-serve.log" 2>&1 &
  av_pid=$!
  BENCH_PIDS+=("$av_pid")
  wait_http "http://127.0.0.1:$port/metrics" 60 "$av_pid" || bench_fail "strata-avalanche serve did not start"
  for rep in $(seq "$REPS"); do
    for sys in strata prometheus; do
      dir=$WORK/scrape-$sys-$rep
      "start_${sys}_agent" "$dir" "127.0.0.1:$port" "$sink_url/api/v1/write" "bench-$sys-$rep" \
        "$SCRAPE_INTERVAL_S" || bench_fail "$sys agent did not start; log: $(tail -3 "$dir/log")"
      sleep $((2 * SCRAPE_INTERVAL_S))
      t0=$(proc_ticks "$SYS_PID")
      sleep $((SCRAPES * SCRAPE_INTERVAL_S))
      t1=$(proc_ticks "$SYS_PID")
      record agent "$sys" rss_mb "$rep" "$(awk -v k="$(proc_kb "$SYS_PID" VmRSS)" 'BEGIN{print k/1024}')"
      record agent "$sys" hwm_mb "$rep" "$(awk -v k="$(proc_kb "$SYS_PID" VmHWM)" 'BEGIN{print k/1024}')"
      record agent "$sys" cpu_s_per_scrape "$rep" \
        "$(awk -v t=$((t1 - t0)) -v h="$CLK_TCK" -v n="$SCRAPES" 'BEGIN{print t/h/n}')"
      # What the agent scraped reached the sink (its queue may still hold the last interval).
      deadline=$((SECONDS + 30))
      until curl -fsS "$sink_url/internal/force_flush" >/dev/null &&
        got=$(sink_series "$sink_url" "bench-$sys-$rep") && [ "$got" = "$SERIES" ]; do
        [ $SECONDS -lt $deadline ] || bench_fail "$sys agent: the sink holds $got of $SERIES series"
        sleep 1
      done
      record agent "$sys" series_delivered "$rep" "$got"
      echo "bench: scrape rep $rep $sys agent: $(proc_kb "$SYS_PID" VmRSS) kB RSS, $((t1 - t0)) ticks" \
        "over $SCRAPES scrapes, $got series at the sink"
      stop_pid "$SYS_PID"  # before the sink (a Prometheus agent without its receiver hangs)
      rm -rf "$dir/data"
    done
  done
  stop_pid "$av_pid"
  stop_pid "$sink_pid"
  rm -rf "$WORK/scrape-sink/data"
}

phase_scrape() {
  scrape_parse
  scrape_agents
}

# wait_query URL QUERY TIME EXPECTED SECONDS: poll (every 10 ms) until the instant query's
# first value is EXPECTED.
wait_query() {
  python3 - "$@" <<'PY'
import json, sys, time, urllib.parse, urllib.request
url, query, at, expected, limit = sys.argv[1:6]
deadline = time.monotonic() + float(limit)
q = urllib.parse.urlencode({'query': query, 'time': at})
while True:
    try:
        with urllib.request.urlopen(f'{url}/api/v1/query?{q}', timeout=30) as r:
            res = json.load(r)['data']['result']
        got = res[0]['value'][1] if res else '0'
        if float(got) == float(expected):
            sys.exit(0)
    except Exception as e:  # noqa: BLE001 - not ready yet
        got = str(e)
    if time.monotonic() > deadline:
        print(f'got {got}, expected {expected}', file=sys.stderr)
        sys.exit(1)
    time.sleep(0.01)
PY
}

# count_samples URL TIME SPAN_S: the avalanche samples in (TIME - SPAN_S, TIME], summed over
# the metric names one at a time (count_over_time drops __name__, and without it the avalanche
# families share label sets).
count_samples() {
  python3 - "$@" <<'PY'
import json, sys, urllib.parse, urllib.request
url, at, span = sys.argv[1:4]
get = lambda path, **q: json.load(urllib.request.urlopen(
    f'{url}{path}?{urllib.parse.urlencode(q)}', timeout=120))['data']
total = 0
for name in get('/api/v1/label/__name__/values'):
    if name.startswith('avalanche_'):
        r = get('/api/v1/query', query=f'sum(count_over_time({name}[{span}s]))', time=at)['result']
        total += int(float(r[0]['value'][1])) if r else 0
print(total)
PY
}

# Restart with a full head: each system ingests SERIES x SAMPLES (ending now; Strata's
# block_store with seal_head_on_stop false and 2 h blocks, so all of it is in the head and its
# WAL), is stopped with RESTART_SIGNAL (KILL: a crash), and is started again on the same data
# dir: seconds until /-/ready (VictoriaMetrics: /health) answers 200 and until the data is
# queryable (the series count at the last sample is right). The last repetition's systems stay
# up for the select latency queries.
phase_restart() {
  local rep sys dir t0 t1 t2 urls=() count_q span got
  use_data "$SAMPLES" "$(recent_start "$SAMPLES")"
  count_q='count({__name__=~"avalanche_.+"})'
  span=$(((SAMPLES + 1) * INTERVAL_MS / 1000))
  for rep in $(seq "$REPS"); do
    for sys in "${SYSTEMS[@]}"; do
      dir=$WORK/restart-$sys-$rep
      start_or_fail "$sys" "$dir" "seal_head_on_stop: false"
      send "$sys" >/dev/null
      [ "$sys" = strata ] && strata_check_stored "$TOTAL"
      if [ "$sys" = victoriametrics ]; then  # the kill must not lose what it buffers in memory
        curl -fsS "$SYS_QUERY_URL/internal/force_flush" >/dev/null
        vm_wait_on_disk "$SYS_DATA" "$TOTAL" 60 ||
          bench_fail "victoriametrics: $(vm_rows_on_disk "$SYS_DATA") of $TOTAL rows on disk"
      fi
      wait_query "$SYS_QUERY_URL" "$count_q" $((LAST_MS / 1000)) "$SERIES" 60 ||
        bench_fail "$sys does not show $SERIES series after ingest"
      settle_cpu "$SYS_PID"
      record restart "$sys" data_mb "$rep" "$(awk -v b="$(dir_bytes "$dir/data")" 'BEGIN{print b/1e6}')"
      if [ "$RESTART_SIGNAL" = KILL ]; then kill_pid "$SYS_PID" KILL; else stop_pid "$SYS_PID"; fi
      t0=$(now_s)
      POLL_S=0.01 start_or_fail "$sys" "$dir" "seal_head_on_stop: false"
      t1=$(now_s)
      wait_query "$SYS_QUERY_URL" "$count_q" $((LAST_MS / 1000)) "$SERIES" 300 ||
        bench_fail "$sys: the data is not queryable after the restart"
      t2=$(now_s)
      record restart "$sys" ready_s "$rep" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')"
      record restart "$sys" queryable_s "$rep" "$(awk -v a="$t0" -v b="$t2" 'BEGIN{print b-a}')"
      record restart "$sys" cpu_s "$rep" "$(awk -v t="$(proc_ticks "$SYS_PID")" -v h="$CLK_TCK" 'BEGIN{print t/h}')"
      record restart "$sys" rss_mb "$rep" "$(awk -v k="$(proc_kb "$SYS_PID" VmRSS)" 'BEGIN{print k/1024}')"
      # Every sample came back (untimed).
      got=$(count_samples "$SYS_QUERY_URL" $((LAST_MS / 1000)) "$span") &&
        [ "$got" = "$TOTAL" ] || bench_fail "$sys holds $got of $TOTAL samples after the restart"
      echo "bench: restart rep $rep $sys: ready after $(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}') s," \
        "queryable after $(awk -v a="$t0" -v b="$t2" 'BEGIN{print b-a}') s"
      if [ "$rep" = "$REPS" ]; then
        urls+=(--system "$sys=$SYS_QUERY_URL")
      else
        stop_pid "$SYS_PID"
        rm -rf "$dir/data"
      fi
    done
  done
  settle_cpu "${BENCH_PIDS[-1]}"
  python3 "$HERE/lib/select_bench.py" --selects "$HERE/selects.txt" --at-ms "$LAST_MS" \
    --reps "$SELECT_REPS" --out "$RESULTS" --ref prometheus "${urls[@]}" ||
    QUERY_FAILED=1
  stop_all_started
  rm -rf "$WORK"/restart-*/data
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
  "phases": "$PHASES", "parse_series": $PARSE_SERIES, "parse_reps": $PARSE_REPS,
  "scrape_interval_s": $SCRAPE_INTERVAL_S, "scrapes": $SCRAPES, "restart_signal": "$RESTART_SIGNAL",
  "select_reps": $SELECT_REPS,
  "interval_s": $((INTERVAL_MS / 1000)), "total_samples": $((SERIES * SAMPLES)), "reps": $REPS,
  "query_reps": $QUERY_REPS, "connections": $CONNS, "series_per_request": $SPR,
  "strata_store": "$STRATA_STORE", "build": "$STRATA_BUILD",
  "source": "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)",
  "source_dirty": $(git -C "$ROOT" status --porcelain -- core plugins 2>/dev/null | wc -l),
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
