#!/usr/bin/env bash
# The operator's view of a node: /-/healthy, /-/ready, /metrics (promtool-clean, with the
# components' own series), logfmt lines carrying the component id, a refused start on a broken
# file (exit 1, file:line:col), and a clean exit on SIGTERM.
# Usage: admin_test.sh BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/../lib/harness.sh"
build=$1
work=$(mktemp -d)
admin=$(free_port)

cat > "$work/broken.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin"}
receivers: {generator: {intervall: 1s}}
exporters: {debug: {}}
pipelines: {metrics: {receivers: [generator], exporters: [debug]}}
YAML
set +e
"$build/bin/strata" run -c "$work/broken.yaml" > "$work/broken.out" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || fail "broken pipeline: exit $rc, want 1"
grep -q "broken.yaml:2:25: error\[unknown-option\]" "$work/broken.out" ||
  { cat "$work/broken.out"; fail "no positioned diagnostic for the broken file"; }

cat > "$work/ok.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: "$work/data"}
receivers: {generator: {series: 5, interval: 100ms}}
exporters: {debug: {}}
pipelines: {metrics: {receivers: [generator], exporters: [debug]}}
YAML
"$build/bin/strata" run -c "$work/ok.yaml" 2> "$work/strata.log" &
pid=$!; STARTED_PIDS+=($pid)
wait_http "http://127.0.0.1:$admin/-/ready" 20
curl -fsS "http://127.0.0.1:$admin/-/healthy" > /dev/null || fail "/-/healthy"
curl -fsS "http://127.0.0.1:$admin/metrics" > "$work/metrics.txt"
promtool check metrics < "$work/metrics.txt" > "$work/promtool.out" 2>&1 ||
  { cat "$work/promtool.out"; fail "promtool check metrics rejected /metrics"; }
[ -s "$work/promtool.out" ] && { cat "$work/promtool.out"; fail "promtool check metrics complained"; }
for series in 'strata_config_last_reload_successful 1' 'process_resident_memory_bytes' \
              'strata_debug_samples_total{component="debug"}' \
              'strata_queue_sent_batches_total{component="debug"}'; do
  grep -qF "$series" "$work/metrics.txt" || fail "/metrics lacks $series"
done
grep -q 'level=info component=host msg="pipeline started"' "$work/strata.log" ||
  fail "no logfmt start line"
curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin/-/reload" | grep -q 405 ||
  fail "GET /-/reload should be 405"
kill -TERM $pid
wait $pid || fail "strata exited non-zero on SIGTERM"
grep -q 'msg=stopped' "$work/strata.log" || fail "no stop line"
echo "PASS"
rm -rf "$work"
