#!/usr/bin/env bash
# End to end over Prometheus' PromQL test scripts: for each file a fresh strata
# (remote_write -> block_store -> promql_api, one loopback port), loaded through remote write
# and evaluated through the HTTP API by promql-e2e-client. Prints
# `promql-e2e: N evals, P passed` and fails below MIN_PASSED evals passed. Also checks that a
# fresh node is ready quickly and exits cleanly on SIGTERM.
# Usage: e2e_test.sh STRATA CLIENT TESTDATA_DIR MIN_PASSED
set -euo pipefail
STRATA=$1
CLIENT=$2
TESTDATA=$3
MIN_PASSED=$4
source "$(dirname "$0")/../lib/harness.sh"
[[ -f $TESTDATA/functions.test ]] || fail "no PromQL test scripts in $TESTDATA"
work=$(mktemp -d)
trap 'cleanup_started; rm -rf "$work"' EXIT

total=0
passed=0
for file in "$TESTDATA"/*.test; do
  name=$(basename "$file" .test)
  port=$(free_port)
  cat > "$work/$name.yaml" <<YAML
server: {listen_address: "127.0.0.1:$port", data_dir: $work/data-$name, log_level: warn}
receivers:
  remote_write: {listen_address: "127.0.0.1:$port", ack: delivered}
storage:
  # debug_listen_address: block_store's empty default does not pass lint today.
  block_store: {out_of_order_time_window: 87600h, debug_listen_address: "127.0.0.1:$port"}
services:
  promql_api: {listen_address: "127.0.0.1:$port", sources: [block_store]}
pipelines:
  metrics: {receivers: [remote_write], exporters: [block_store]}
YAML
  started=$(date +%s%N)
  "$STRATA" run -c "$work/$name.yaml" > "$work/$name.log" 2>&1 &
  pid=$!
  STARTED_PIDS+=("$pid")
  wait_http "http://127.0.0.1:$port/-/ready" 20 || { tail -20 "$work/$name.log"; exit 1; }
  ready_ms=$((($(date +%s%N) - started) / 1000000))
  "$CLIENT" "http://127.0.0.1:$port" "$file" > "$work/$name.out" 2>&1 || {
    cat "$work/$name.out"; tail -20 "$work/$name.log"; fail "client failed on $name"; }
  grep -v '^file ' "$work/$name.out" | head -40 || true
  line=$(grep '^file ' "$work/$name.out")
  echo "$line (ready after ${ready_ms} ms)"
  n=$(sed -E 's/.*: ([0-9]+) evals, ([0-9]+) passed/\1/' <<< "$line")
  p=$(sed -E 's/.*: ([0-9]+) evals, ([0-9]+) passed/\2/' <<< "$line")
  total=$((total + n))
  passed=$((passed + p))
  kill -TERM "$pid"
  rc=0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "strata did not exit within 10 s of SIGTERM ($name)"
  wait "$pid" || rc=$?
  [[ $rc -eq 0 ]] || { tail -20 "$work/$name.log"; fail "strata exited with $rc on SIGTERM ($name)"; }
done
echo "promql-e2e: $total evals, $passed passed"
[[ $passed -ge $MIN_PASSED ]] || fail "$passed passed, expected at least $MIN_PASSED"
