#!/usr/bin/env bash
# The connection benchmark of issue 14: Strata, Prometheus 2.42 and VictoriaMetrics 1.79 each
# holding BENCH_CONN_N keep-alive remote write clients (tools/conn-load), side by side.
#
#   tools/bench/connections.sh [full|smoke]
#
# For each system (interleaved: S1 S2 S3 S1 S2 S3 ... over BENCH_CONN_REPS repetitions, each
# on a fresh data dir and port):
#   idle  RSS 1 s after ready, then N connections opened (1,000/s) and held with almost
#         nothing written; RSS again ~4 s into it: RSS per idle connection = delta / N.
#   load  N writers, a 5-series write every 5 s each, probes of /-/ready and a query every
#         200 ms: probe p50/p99, writes acked/sent, the server's CPU (utime+stime, read right
#         before and right after conn-load) per million acknowledged samples.
#   few   the same samples/s and the same probes over 4 connections (a write every 4*5000/N
#         ms each): CPU per million samples again; N-connection CPU / 4-connection CPU is what
#         the connections cost.
#   quiet 10 s with no client: the server's background CPU (context for the CPU figures).
# Writes a section (<!-- bench:connections-N -->) into docs/benchmarks.md (BENCH_DOC), keeping
# the rest of the file; `smoke` (N=50, 5 s, 1 rep) writes to a temp file instead.
# Sizes: BENCH_CONN_N (2000), BENCH_CONN_SECONDS (30), BENCH_CONN_REPS (3), BENCH_CONN_WARMUP
# (5 s). BENCH_CONN_WAIT_QUIET (full: 1500 s, smoke: 0): first wait, polling every 30 s, until
# no ninja, cc1plus or ctest runs on the machine (then run anyway; the section says so).
# BENCH_CONN_PROM_MAX_CONNECTIONS (4096): Prometheus' --web.max-connections (its default, 512,
# would leave most clients waiting in the accept queue). STRATA_BUILD (<repo>/build) with
# bin/strata (and its plugins) and bin/conn-load.
set -euo pipefail

MODE=${1:-full}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STRATA_BUILD=${STRATA_BUILD:-$ROOT/build}
STRATA_BIN=$STRATA_BUILD/bin/strata
CONN_LOAD=$STRATA_BUILD/bin/conn-load
REPORT=$HERE/lib/connections_report.py
source "$HERE/lib/procs.sh"
source "$HERE/lib/systems.sh"  # SYSTEMS, system_version

case $MODE in
  smoke) N=50 SECS=5 REPS=1 WARMUP=2 WAIT_QUIET=${BENCH_CONN_WAIT_QUIET:-0} ;;
  full)
    N=${BENCH_CONN_N:-2000} SECS=${BENCH_CONN_SECONDS:-30} REPS=${BENCH_CONN_REPS:-3}
    WARMUP=${BENCH_CONN_WARMUP:-5} WAIT_QUIET=${BENCH_CONN_WAIT_QUIET:-1500} ;;
  *) echo "usage: $0 [full|smoke]" >&2; exit 2 ;;
esac
FEW=4
INTERVAL_MS=5000
FEW_INTERVAL_MS=$((INTERVAL_MS * FEW / N))
[ "$FEW_INTERVAL_MS" -ge 1 ] || bench_fail "BENCH_CONN_N=$N: over $((INTERVAL_MS * FEW)) connections" \
  "the 4-connection phase cannot match the rate"
CONNECT_RATE=1000
IDLE_S=6 IDLE_READ_S=4 QUIET_S=10 STOP_S=10
PROM_MAX_CONN=${BENCH_CONN_PROM_MAX_CONNECTIONS:-4096}
for tool in "$STRATA_BIN" "$CONN_LOAD"; do
  [ -x "$tool" ] || bench_fail "$tool not built (set STRATA_BUILD; ninja strata conn-load)"
done
for tool in prometheus victoria-metrics curl python3 timeout pgrep; do
  command -v "$tool" >/dev/null || bench_fail "$tool not installed (see docs/benchmarks.md)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/strata-conn-bench.XXXXXX")
RESULTS=$WORK/results.jsonl
: >"$RESULTS"
SAMPLER_PID=

# Stopping: SIGTERM, SIGKILL after STOP_S seconds; only the PIDs this script started.
conn_stop_pid() {
  local pid=$1 p kept=()
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq $((STOP_S * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "bench: PID $pid ignored SIGTERM for $STOP_S s, SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  for p in "${BENCH_PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  BENCH_PIDS=("${kept[@]}")
}
forget_pid() {
  local p kept=()
  for p in "${BENCH_PIDS[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  BENCH_PIDS=("${kept[@]}")
}
cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do conn_stop_pid "$pid"; done
  BENCH_PIDS=()
  [ -z "$SAMPLER_PID" ] || { kill -TERM "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; }
  SAMPLER_PID=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Other work on the cores: builds (ninja, cc1plus) and test runs (ctest).
busy() { pgrep -f ninja >/dev/null || pgrep cc1plus >/dev/null || pgrep -f ctest >/dev/null; }
busy_what() {
  local w=()
  pgrep -f ninja >/dev/null && w+=(ninja)
  pgrep cc1plus >/dev/null && w+=(cc1plus)
  pgrep -f ctest >/dev/null && w+=(ctest)
  echo "${w[*]:-}"
}

WAITED=0
if [ "$WAIT_QUIET" -gt 0 ]; then
  while busy; do
    if [ "$WAITED" -ge "$WAIT_QUIET" ]; then
      echo "bench: still busy after $WAITED s ($(busy_what)); running anyway" >&2
      break
    fi
    echo "bench: waiting for a quiet machine ($(busy_what) running; $WAITED s so far)" >&2
    sleep 30
    WAITED=$((WAITED + 30))
  done
fi
BUSY_AT_START=$(busy_what)

# Every 5 s while the benchmark runs: "epoch busy-list" (empty list: quiet).
(
  trap 'exit 0' TERM
  while :; do echo "$(date +%s) $(busy_what)" >>"$WORK/busy.log"; sleep 5; done
) &
SAMPLER_PID=$!

# --- The systems, each on a fresh DIR and a free loopback port. Each start sets SYS_PID,
# --- SYS_BASE and SYS_READY (the readiness URL the probes use).

conn_start_strata() {  # the embedded all-in-one pipeline, as a new user runs it
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir"
  STRATA_LISTEN_ADDRESS="127.0.0.1:$port" STRATA_DATA_DIR="$dir/data" \
    STRATA_NODE_EXPORTER="127.0.0.1:1" "$STRATA_BIN" run >"$dir/log" 2>&1 &
  SYS_PID=$!
  BENCH_PIDS+=("$SYS_PID")
  SYS_BASE="http://127.0.0.1:$port"
  SYS_READY="$SYS_BASE/-/ready"
  wait_http "$SYS_READY" 60 "$SYS_PID"
}

conn_start_prometheus() {
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir"
  echo "global: {scrape_interval: 1h}" >"$dir/prometheus.yml"
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" --web.enable-remote-write-receiver \
    --web.max-connections="$PROM_MAX_CONN" >"$dir/log" 2>&1 &
  SYS_PID=$!
  BENCH_PIDS+=("$SYS_PID")
  SYS_BASE="http://127.0.0.1:$port"
  SYS_READY="$SYS_BASE/-/ready"
  wait_http "$SYS_READY" 60 "$SYS_PID"
}

conn_start_victoriametrics() {
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir"
  victoria-metrics -httpListenAddr="127.0.0.1:$port" -storageDataPath="$dir/data" \
    -search.latencyOffset=0s >"$dir/log" 2>&1 &
  SYS_PID=$!
  BENCH_PIDS+=("$SYS_PID")
  SYS_BASE="http://127.0.0.1:$port"
  wait_http "$SYS_BASE/health" 60 "$SYS_PID" || return 1
  # The Prometheus-compatible readiness path when this version has it, else /health.
  SYS_READY="$SYS_BASE/health"
  curl -fsS -o /dev/null "$SYS_BASE/-/ready" 2>/dev/null && SYS_READY="$SYS_BASE/-/ready"
  return 0
}

fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
rss_kb() { proc_kb "$1" VmRSS; }

# run_load NAME LIMIT_S CONN_LOAD_ARGS...: conn-load in the background (so an interrupted run
# stops it), its JSON in $DIR/NAME.json, its exit code in LOAD_RC. LIMIT_S bounds it (SIGTERM
# ends its window early and it still prints its JSON; SIGKILL 10 s later).
run_load() {
  local name=$1 limit=$2 pid
  shift 2
  timeout -k 10 "$limit" "$CONN_LOAD" "$@" >"$DIR/$name.json" 2>"$DIR/$name.err" &
  pid=$!
  BENCH_PIDS+=("$pid")
  LOAD_PID=$pid
}
wait_load() {
  LOAD_RC=0
  wait "$LOAD_PID" || LOAD_RC=$?
  forget_pid "$LOAD_PID"
}

# record PHASE KEY=VALUE...: one JSON line per phase, with conn-load's JSON ($DIR/PHASE.json).
record_phase() {
  local phase=$1
  shift
  python3 "$REPORT" record --out "$RESULTS" --system "$SYS" --rep "$REP" --phase "$phase" \
    --load-json "$DIR/$phase.json" "$@"
}

load_limit() { echo $(($1 / CONNECT_RATE + 10 + $2 + $3 + 10 + 60)); }  # ramp, window, drain

one_run() {
  local ready_path rss0 rss1 fds0 fds1 t0 t1 w0 w1 rss_end
  DIR=$WORK/$SYS-$REP
  local fp=
  [ "$SYS" = strata ] && fp=$(build_fp)  # the build this Strata process starts from
  "conn_start_$SYS" "$DIR" ||
    bench_fail "$SYS did not start; log: $DIR/log: $(tail -3 "$DIR/log" 2>/dev/null)"
  ready_path=${SYS_READY#"$SYS_BASE"}
  echo "bench: rep $REP $SYS: PID $SYS_PID at $SYS_BASE (readiness $ready_path)"
  local write_url="$SYS_BASE/api/v1/write"
  local probes=(--probe-url "$SYS_READY" --probe-url "$SYS_BASE/api/v1/query?query=count(conn_load_samples)")

  # idle: N connections held, almost nothing written (the first write of writer w is due at
  # w * 3600 s / N).
  sleep 1
  rss0=$(rss_kb "$SYS_PID") fds0=$(fds "$SYS_PID")
  run_load idle "$(load_limit "$N" 0 "$IDLE_S")" --write-url "$write_url" --connections "$N" \
    --connect-rate "$CONNECT_RATE" --interval-ms 3600000 --duration-s "$IDLE_S"
  sleep "$IDLE_READ_S"
  rss1=$(rss_kb "$SYS_PID") fds1=$(fds "$SYS_PID")
  wait_load
  record_phase idle --rc "$LOAD_RC" --set build_fp="$fp" rss_before_kb="$rss0" rss_kb="$rss1" \
    fds_before="$fds0" fds="$fds1" connections="$N" ready_path="$ready_path"
  echo "bench: rep $REP $SYS idle: exit $LOAD_RC, RSS $rss0 -> $rss1 kB, fds $fds0 -> $fds1"

  # load: N writers and the probes.
  t0=$(proc_ticks "$SYS_PID") w0=$(now_s)
  run_load load "$(load_limit "$N" "$WARMUP" "$SECS")" --write-url "$write_url" \
    --connections "$N" --connect-rate "$CONNECT_RATE" --interval-ms "$INTERVAL_MS" \
    --duration-s "$SECS" --warmup-s "$WARMUP" "${probes[@]}"
  wait_load
  t1=$(proc_ticks "$SYS_PID") w1=$(now_s)
  rss_end=$(rss_kb "$SYS_PID")
  record_phase load --rc "$LOAD_RC" --set cpu_ticks=$((t1 - t0)) clk_tck="$CLK_TCK" \
    wall_s="$(awk -v a="$w0" -v b="$w1" 'BEGIN{print b-a}')" rss_kb="$rss_end" \
    hwm_kb="$(proc_kb "$SYS_PID" VmHWM)" connections="$N" interval_ms="$INTERVAL_MS"
  echo "bench: rep $REP $SYS load ($N connections): exit $LOAD_RC, $((t1 - t0)) ticks"

  # few: the same samples/s and probes over 4 connections.
  t0=$(proc_ticks "$SYS_PID") w0=$(now_s)
  run_load few "$(load_limit "$FEW" "$WARMUP" "$SECS")" --write-url "$write_url" \
    --connections "$FEW" --connect-rate "$CONNECT_RATE" --interval-ms "$FEW_INTERVAL_MS" \
    --duration-s "$SECS" --warmup-s "$WARMUP" "${probes[@]}"
  wait_load
  t1=$(proc_ticks "$SYS_PID") w1=$(now_s)
  record_phase few --rc "$LOAD_RC" --set cpu_ticks=$((t1 - t0)) clk_tck="$CLK_TCK" \
    wall_s="$(awk -v a="$w0" -v b="$w1" 'BEGIN{print b-a}')" connections="$FEW" \
    interval_ms="$FEW_INTERVAL_MS"
  echo "bench: rep $REP $SYS few ($FEW connections): exit $LOAD_RC, $((t1 - t0)) ticks"

  # quiet: the server's own background CPU (no client).
  t0=$(proc_ticks "$SYS_PID") w0=$(now_s)
  sleep "$QUIET_S"
  t1=$(proc_ticks "$SYS_PID") w1=$(now_s)
  : >"$DIR/quiet.json"
  record_phase quiet --rc 0 --set cpu_ticks=$((t1 - t0)) clk_tck="$CLK_TCK" \
    wall_s="$(awk -v a="$w0" -v b="$w1" 'BEGIN{print b-a}')"

  kill -0 "$SYS_PID" 2>/dev/null || bench_fail "$SYS (PID $SYS_PID) died; log: $(tail -3 "$DIR/log")"
  conn_stop_pid "$SYS_PID"
  rm -rf "$DIR/data"
}

# The Strata build under test: its binary and plugins (name, mtime), so a rebuild of the shared
# build dir in the middle of a run is noticed and reported (each Strata run records its own).
build_stamp() {
  find "$STRATA_BIN" "$STRATA_BUILD/lib/strata/plugins" -maxdepth 1 -type f \
    \( -name strata -o -name '*.so' \) -printf '%f %T@\n' 2>/dev/null | sort
}
build_fp() { build_stamp | md5sum | cut -c1-12; }
build_newest() {
  build_stamp | awk '$2 > t { t = $2 } END { printf "%d", t }' |
    xargs -I{} date -u -d @{} +%Y-%m-%dT%H:%M:%SZ
}
BUILD_FP_START=$(build_fp) BUILD_NEWEST_START=$(build_newest)
HEAD_START=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || true)
DIRTY_START=$(git -C "$ROOT" status --porcelain -- core plugins 2>/dev/null | wc -l)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
DATE=$(date -u +%Y-%m-%dT%H:%MZ)
T_BEGIN=$SECONDS
echo "bench: connections $MODE: $N connections, ${SECS} s windows, $REPS reps, scratch $WORK"
for REP in $(seq "$REPS"); do
  for SYS in "${SYSTEMS[@]}"; do one_run; done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
kill -TERM "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=

META=$WORK/meta.json
python3 - "$META" <<PY
import json, sys
busy = [l.split()[1:] for l in open("$WORK/busy.log") if l.strip()]
json.dump({
  "mode": "$MODE", "date": "$DATE", "seconds": $((SECONDS - T_BEGIN)), "nproc": $(nproc),
  "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')",
  "ram_gib": round($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1048576, 1),
  "load_before": "$LOAD_BEFORE", "load_after": "$LOAD_AFTER",
  "waited_quiet_s": $WAITED, "wait_quiet_limit_s": $WAIT_QUIET, "busy_at_start": "$BUSY_AT_START",
  "busy_samples": len(busy), "busy_samples_busy": sum(1 for b in busy if b),
  "busy_kinds": sorted({k for b in busy for k in b}),
  "connections": $N, "seconds_window": $SECS, "warmup_s": $WARMUP, "reps": $REPS,
  "few": $FEW, "interval_ms": $INTERVAL_MS, "few_interval_ms": $FEW_INTERVAL_MS,
  "connect_rate": $CONNECT_RATE, "idle_s": $IDLE_S, "idle_read_s": $IDLE_READ_S,
  "quiet_s": $QUIET_S, "prom_max_connections": $PROM_MAX_CONN,
  "build": "$STRATA_BUILD",
  "source": "$HEAD_START", "source_dirty": $DIRTY_START,
  "source_end": "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)",
  "build_fp_start": "$BUILD_FP_START", "build_fp_end": "$(build_fp)",
  "build_newest_start": "$BUILD_NEWEST_START", "build_newest_end": "$(build_newest)",
  "build_type": "$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$STRATA_BUILD/CMakeCache.txt" 2>/dev/null)",
  "versions": {"strata": "$(system_version strata)", "prometheus": "$(system_version prometheus)",
               "victoriametrics": "$(system_version victoriametrics)"},
  "command": "$( [ "$MODE" = smoke ] && echo "tools/bench/connections.sh smoke" ||
    echo "BENCH_CONN_N=$N BENCH_CONN_SECONDS=$SECS BENCH_CONN_REPS=$REPS tools/bench/connections.sh")",
}, open(sys.argv[1], "w"), indent=1)
PY
if [ "$MODE" = smoke ]; then
  OUT=$WORK/benchmarks-connections-smoke.md
  python3 "$REPORT" render --meta "$META" --results "$RESULTS" --standalone "$OUT" \
    --context-doc "$ROOT/docs/benchmarks.md"
else
  OUT=${BENCH_DOC:-$ROOT/docs/benchmarks.md}
  python3 "$REPORT" render --meta "$META" --results "$RESULTS" --doc "$OUT"
fi
echo "bench: report written to $OUT (raw results: $RESULTS; conn-load output: $WORK/*/)"
python3 "$REPORT" verdict --results "$RESULTS" ||
  echo "bench: some runs did not serve every client (see the report): not hidden, reported" >&2
echo "bench: done ($((SECONDS - T_BEGIN)) s)"
