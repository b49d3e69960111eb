#!/usr/bin/env bash
# Bad remote write input against the running server (issue 4, "Bad input"): strata with the
# central receiver's shape (remote_write, ack: delivered -> block_store) plus promql_api, then
# every case of cases.py one by one: status, a message naming the problem, the metric that
# counts it, the server still healthy; at the end valid writes still get 204 and every
# acknowledged sample is queryable. Usage: bad_input.sh BUILD_DIR
source "$(dirname "$0")/../lib/harness.sh"
build=$1
STRATA=$build/bin/strata
work=$(mktemp -d)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
admin=$(free_port)
write=$(free_port)
while [ "$write" = "$admin" ]; do write=$(free_port); done

cat > "$work/pipeline.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: $work/data, log_level: warn}
receivers:
  remote_write:
    listen_address: "127.0.0.1:$write"
    max_body_bytes: 65536
    ack: delivered
storage:
  block_store: {}
services:
  promql_api:
    listen_address: "127.0.0.1:$admin"
    sources: [block_store]
pipelines:
  metrics/ingest: {receivers: [remote_write], processors: [], exporters: [block_store]}
YAML
start_strata "$work/pipeline.yaml" "$work/strata.log" "$admin"
if ! python3 "$(dirname "$0")/cases.py" check "127.0.0.1:$write" "127.0.0.1:$admin" "$STRATA_PID"; then
  tail -n 20 "$work/strata.log" >&2
  fail "bad input cases"
fi
kill -0 "$STRATA_PID" 2>/dev/null || fail "strata exited"
stop_pid "$STRATA_PID" 20
echo "ok: bad input refused as documented, the server kept serving, nothing acknowledged was lost"
