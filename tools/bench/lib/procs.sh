# Process helpers for tools/bench/run.sh: loopback ports, readiness with deadlines, /proc
# figures, and stopping only what the driver started (by PID, SIGKILL as the fallback).

BENCH_PIDS=()
CLK_TCK=$(getconf CLK_TCK)

bench_fail() { echo "bench: FAIL: $*" >&2; exit 1; }

# A free loopback port below the ephemeral range (32768+), so the kernel does not hand it out.
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
  done
  bench_fail "no free port"
}

# wait_http URL SECONDS PID: until URL answers 2xx, polling every POLL_S (0.1) s; fails early
# if PID died.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2)) pid=$3
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || return 1
    [ $SECONDS -lt $deadline ] || return 1
    sleep "${POLL_S:-0.1}"
  done
}

# now_s: wall clock in seconds with nanoseconds.
now_s() { date +%s.%N; }

# kill_pid PID SIGNAL: send SIGNAL (KILL: a crash) and reap it; it is no longer ours to stop.
kill_pid() {
  local pid=$1 kept=() p
  kill -"$2" "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${BENCH_PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  BENCH_PIDS=("${kept[@]}")
}

# stop_pid PID: SIGTERM, up to 20 s for a clean exit (flushes), then SIGKILL.
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "bench: PID $pid ignored SIGTERM for 20 s, SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  local kept=() p
  for p in "${BENCH_PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  BENCH_PIDS=("${kept[@]}")
}

stop_all_started() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do stop_pid "$pid"; done
  BENCH_PIDS=()
}

# CPU ticks (utime + stime) of a process, from /proc/PID/stat (fields after the comm).
proc_ticks() {
  local rest
  rest=$(sed 's/^.*) //' "/proc/$1/stat") || return 1
  awk '{ print $12 + $13 }' <<<"$rest"
}

# proc_kb PID FIELD: a kB field of /proc/PID/status (VmRSS, VmHWM).
proc_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# settle_cpu PID: wait (at most 15 s) until the process used < 2 ticks in 0.5 s, so work it
# does in the background after acknowledging (merges, flushes) is charged to the ingest.
settle_cpu() {
  local pid=$1 a b deadline=$((SECONDS + 15))
  a=$(proc_ticks "$pid")
  while [ $SECONDS -lt $deadline ]; do
    sleep 0.5
    b=$(proc_ticks "$pid")
    [ $((b - a)) -lt 2 ] && return 0
    a=$b
  done
}

# dir_bytes DIR: apparent size of every file under DIR.
# du exits 1 when a file vanishes while it walks (a peer's background merge), yet still prints
# the total; under `set -e -o pipefail` that exit would end the whole run without a word.
dir_bytes() { { du -sb "$1" 2>/dev/null || true; } | awk '{ print $1 }'; }

# wait_dir_stable DIR SECONDS: until DIR's size is unchanged for 2 s (background merges).
wait_dir_stable() {
  local dir=$1 deadline=$((SECONDS + $2)) a b same=0
  a=$(dir_bytes "$dir")
  while [ $SECONDS -lt $deadline ] && [ $same -lt 4 ]; do
    sleep 0.5
    b=$(dir_bytes "$dir")
    if [ "$a" = "$b" ]; then same=$((same + 1)); else same=0; fi
    a=$b
  done
}
