#!/usr/bin/env bash
# Hot reload under load. A sender writes remote write continuously to a running receiver
# while the pipeline is reloaded with (a) a broken file, (b) a file that changes another
# component, (c) a file that rebuilds the receiver itself. Every write acknowledged before,
# during and after must be delivered to the exporter, and no connection may be refused.
# Usage: reload_test.sh BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/../lib/harness.sh"
build=$1
work=$(mktemp -d)
admin=$(free_port); rw=$(free_port)
while [ "$rw" = "$admin" ]; do rw=$(free_port); done

pipeline() {  # $1: generator interval (the "other" component), $2: receiver max_body_bytes
  cat <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: "$work/data", log_level: info}
receivers:
  remote_write: {listen_address: "127.0.0.1:$rw", max_body_bytes: $2}
  generator/other: {series: 3, interval: $1}
exporters:
  debug/sink: {output_file: "$work/delivered.txt"}
  debug/other: {}
pipelines:
  metrics/main: {receivers: [remote_write], exporters: [debug/sink]}
  metrics/other: {receivers: [generator/other], exporters: [debug/other]}
YAML
}
pipeline 200ms 33554432 > "$work/pipeline.yaml"
"$build/bin/pipeline-lint" "$work/pipeline.yaml" || fail "initial pipeline does not lint"

"$build/bin/strata" run -c "$work/pipeline.yaml" 2> "$work/strata.log" &
strata_pid=$!; STARTED_PIDS+=($strata_pid)
wait_http "http://127.0.0.1:$admin/-/ready" 20
metrics="http://127.0.0.1:$admin/metrics"

"$build/bin/remote-write-sender" --url "http://127.0.0.1:$rw/api/v1/write" --series 50 \
  --samples-per-request 2 --interval-ms 20 --duration-s 12 --connections 2 \
  --ack-log "$work/acked.txt" > "$work/sender.out" 2>&1 &
sender_pid=$!; STARTED_PIDS+=($sender_pid)

sleep 2
# (a) a broken file: the old graph keeps running, the reload is reported failed.
echo "receivers: {remote_write: {listen_address: [oops" > "$work/pipeline.yaml"
kill -HUP $strata_pid
for _ in $(seq 50); do
  [ "$(metric_value "$metrics" strata_config_last_reload_successful)" = 0 ] && break; sleep 0.1
done
[ "$(metric_value "$metrics" strata_config_last_reload_successful)" = 0 ] ||
  fail "broken reload not reported"

sleep 2
# (b) another component changes; (c) then the receiver itself is rebuilt on its socket.
pipeline 300ms 33554432 > "$work/pipeline.yaml"
code=$(curl -s -o "$work/reload_b.txt" -w '%{http_code}' -X POST "http://127.0.0.1:$admin/-/reload")
[ "$code" = 200 ] || fail "reload (b) answered $code: $(cat "$work/reload_b.txt")"
[ "$(metric_value "$metrics" strata_config_last_reload_successful)" = 1 ] || fail "(b) not successful"
sleep 2
pipeline 300ms 16777216 > "$work/pipeline.yaml"
code=$(curl -s -o "$work/reload_c.txt" -w '%{http_code}' -X POST "http://127.0.0.1:$admin/-/reload")
[ "$code" = 200 ] || fail "reload (c) answered $code: $(cat "$work/reload_c.txt")"
grep -q "rebuilt" "$work/strata.log" || true

wait $sender_pid || { cat "$work/sender.out"; fail "sender reported refused connections or 4xx"; }
cat "$work/sender.out"
kill -TERM $strata_pid
wait $strata_pid || fail "strata exited non-zero"

sort -u "$work/acked.txt" > "$work/acked.sorted"
sort -u "$work/delivered.txt" > "$work/delivered.sorted"
acked=$(wc -l < "$work/acked.sorted")
[ "$acked" -gt 100 ] || fail "too few acknowledged samples ($acked) for a meaningful test"
missing=$(comm -23 "$work/acked.sorted" "$work/delivered.sorted" | wc -l)
[ "$missing" -eq 0 ] || fail "$missing of $acked acknowledged samples were not delivered"
echo "PASS: $acked acknowledged samples all delivered across 3 reloads"
rm -rf "$work"
