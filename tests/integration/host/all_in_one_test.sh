#!/usr/bin/env bash
# The README's main command runs the embedded all-in-one pipeline (`strata run` without -c):
# it must start fast, scrape itself and a node-exporter, take remote write, and answer PromQL
# over what it stored. Uses a real prometheus-node-exporter on loopback.
# Usage: all_in_one_test.sh BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/../lib/harness.sh"
build=$1
work=$(mktemp -d)
port=$(free_port); ne=$(free_port)
while [ "$ne" = "$port" ]; do ne=$(free_port); done

prometheus-node-exporter --web.listen-address="127.0.0.1:$ne" > "$work/ne.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$ne/metrics" 20

cd "$work"
started=$(date +%s%N)
STRATA_LISTEN_ADDRESS="127.0.0.1:$port" STRATA_DATA_DIR="$work/data" \
  STRATA_NODE_EXPORTER="127.0.0.1:$ne" "$build/bin/strata" run 2> "$work/strata.log" &
pid=$!; STARTED_PIDS+=($pid)
wait_http "http://127.0.0.1:$port/-/ready" 20
echo "ready after $(( ($(date +%s%N) - started) / 1000000 )) ms"
api="http://127.0.0.1:$port/api/v1"

# Remote write into the same port, then read it back through PromQL.
"$build/bin/remote-write-sender" --url "http://127.0.0.1:$port/api/v1/write" --series 5 \
  --samples-per-request 5 --interval-ms 10 --duration-s 1 --connections 1 \
  --metric aio_written --ack-log "$work/acked.txt" > "$work/sender.out" 2>&1 ||
  { cat "$work/sender.out"; fail "remote write into the all-in-one node failed"; }
acked=$(wc -l < "$work/acked.txt")
[ "$acked" -gt 0 ] || fail "nothing acknowledged"

# Both scrape jobs report up == 1 within a few scrape intervals of the first one.
for _ in $(seq 200); do
  n=$(curl -fsS "$api/query" --data-urlencode 'query=sum(up{job=~"strata|node"})' |
      jq -r '.data.result[0].value[1] // "0"')
  [ "$n" = 2 ] && break
  sleep 0.1
done
[ "$n" = 2 ] || fail "scrape of itself and node-exporter not visible (sum(up) = $n)"
uname=$(curl -fsS "$api/query" --data-urlencode 'query=count(node_uname_info{job="node"})' |
        jq -r '.data.result[0].value[1]')
[ "$uname" = 1 ] || fail "node_uname_info not stored ($uname)"
stored=$(curl -fsS "$api/query" --data-urlencode 'query=sum(count_over_time(aio_written[1h]))' \
         --data-urlencode "time=$(date +%s)" | jq -r '.data.result[0].value[1] // "0"')
echo "remote write: acked=$acked stored=$stored"
[ "$stored" = "$acked" ] || fail "acknowledged $acked samples, PromQL sees $stored"
kill -TERM $pid
wait $pid || fail "strata exited non-zero on SIGTERM"
echo "PASS"
rm -rf "$work"
