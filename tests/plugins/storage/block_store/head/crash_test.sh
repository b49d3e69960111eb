#!/usr/bin/env bash
# Crash test: remote-write-sender -> strata (remote_write, ack: delivered) -> block_store,
# while the strata process is SIGKILLed at random points several times. After every restart
# each acknowledged sample must be in the store exactly once (read back through the store's
# debug dump route), and no half-written block (*.tmp) may be visible. Small blocks (1s of
# sample time) so that block cuts and WAL checkpoints are among the things interrupted.
# One sender connection: with several, connections drift apart in sample time, and once a
# block is cut the lagging one's samples are "too old" (refused and counted, while the rest of
# their batch is acknowledged, by design), which is not what this test is about.
# Loopback only; bounded (~60 s); kills only the processes it started.
set -euo pipefail
STRATA=$1
SENDER=$2
source "$(dirname "$0")/../../../../integration/lib/harness.sh"
work=$(mktemp -d)
trap 'cleanup_started; rm -rf "$work"' EXIT
admin=$(free_port); rw=$(free_port); dbg=$(free_port)
cat > "$work/p.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: $work/data, log_level: warn}
receivers:
  remote_write: {listen_address: "127.0.0.1:$rw", ack: delivered}
storage:
  block_store: {block_duration: 1s, cut_check_interval: 200ms, debug_listen_address: "127.0.0.1:$dbg"}
pipelines:
  metrics/in: {receivers: [remote_write], processors: [], exporters: [block_store]}
YAML
strata_pid=
start_strata() {
  touch "$work/restart.marker"
  "$STRATA" run -c "$work/p.yaml" >> "$work/strata.log" 2>&1 &
  strata_pid=$!
  STARTED_PIDS+=("$strata_pid")
  wait_http "http://127.0.0.1:$admin/-/ready" 20 || { tail -20 "$work/strata.log"; exit 1; }
}
# check LABEL: every acknowledged sample present exactly once, no duplicates, no *.tmp.
check() {
  cp "$work/ack.log" "$work/ack.snap"
  curl -fsS "http://127.0.0.1:$dbg/api/v1/strata/dump?tenant=default-tenant" > "$work/dump"
  sort "$work/dump" > "$work/dump.sorted"
  local dups missing tmp
  dups=$(uniq -d "$work/dump.sorted" | wc -l)
  # A sample line is `series value ts`; a timestamp twice in a series is a duplicate too.
  dups=$((dups + $(awk '{print $1, $3}' "$work/dump.sorted" | sort | uniq -d | wc -l)))
  sort -u "$work/ack.snap" > "$work/ack.sorted"
  missing=$(comm -23 "$work/ack.sorted" "$work/dump.sorted" | wc -l)
  # A *.tmp left by a killed process must be gone after the restart; one the live process is
  # writing right now (a cut every second) is newer than the restart marker and is fine.
  tmp=$(find "$work/data" -name '*.tmp' ! -newer "$work/restart.marker" | wc -l)
  echo "$1: acked=$(wc -l < "$work/ack.sorted") stored=$(wc -l < "$work/dump") missing=$missing duplicates=$dups tmp_dirs=$tmp"
  [[ $missing -eq 0 && $dups -eq 0 && $tmp -eq 0 ]] || {
    comm -23 "$work/ack.sorted" "$work/dump.sorted" > "$work/missing"
    awk '{print $3 % 1000}' "$work/missing" | sort | uniq -c | sort -rn | head -5
    head -5 "$work/missing"
    curl -fsS "http://127.0.0.1:$admin/metrics" | grep block_store || true
    [[ -n ${KEEP_WORK:-} ]] && cp -r "$work" "$KEEP_WORK"
    fail "$1"
  }
}

start_strata
touch "$work/ack.log"
"$SENDER" --url "http://127.0.0.1:$rw/api/v1/receive" --series 40 --samples-per-request 80 \
  --interval-ms 2 --duration-s 40 --connections 1 --retry-timeout-s 30 \
  --ack-log "$work/ack.log" > "$work/sender.out" 2>&1 &
sender_pid=$!
STARTED_PIDS+=("$sender_pid")
kills=0
deadline=$((SECONDS + 36))
while [[ $SECONDS -lt $deadline ]]; do
  # A random point in time: 0.5 to 3.5 s of ingestion between crashes (workload pacing,
  # not synchronisation).
  sleep "$((RANDOM % 4)).$((RANDOM % 10))5"
  kill -KILL "$strata_pid"
  wait "$strata_pid" 2>/dev/null || true
  kills=$((kills + 1))
  start_strata
  check "after kill $kills"
done
wait "$sender_pid" || true  # exits 1 after connection errors during the crashes
cat "$work/sender.out"
check "final"
blocks=$(find "$work/data" -name meta.json | wc -l)
echo "ok: $kills crashes, $blocks blocks on disk"
[[ $kills -ge 5 && $blocks -ge 1 ]]
