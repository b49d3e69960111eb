#!/usr/bin/env bash
# (b) The same generated data in a real Prometheus 2.42 (remote-write receiver) and in strata
# (remote_write -> block_store -> promql_api); `promtool query instant` and `promtool query
# range` must answer alike for a query set. (c) A second Prometheus with an empty TSDB and
# `remote_read` pointing at strata's /api/v1/read answers a query with our data.
# Usage: promtool_test.sh STRATA LOADGEN PROMETHEUS PROMTOOL. Loopback only, bounded.
set -euo pipefail
STRATA=$1
LOADGEN=$2
PROMETHEUS=$3
PROMTOOL=$4
here=$(dirname "$0")
source "$here/../lib/harness.sh"
work=$(mktemp -d)
trap 'cleanup_started; rm -rf "$work"' EXIT

sp=$(free_port); pp=$(free_port); rp=$(free_port)
cat > "$work/strata.yaml" <<YAML
server: {listen_address: "127.0.0.1:$sp", data_dir: $work/strata-data, log_level: warn}
receivers:
  remote_write: {listen_address: "127.0.0.1:$sp", ack: delivered}
storage:
  block_store: {debug_listen_address: "127.0.0.1:$sp"}
services:
  promql_api: {listen_address: "127.0.0.1:$sp", sources: [block_store]}
pipelines:
  metrics: {receivers: [remote_write], exporters: [block_store]}
YAML
echo "global: {scrape_interval: 15s}" > "$work/prom.yml"
cat > "$work/reader.yml" <<YAML
global: {scrape_interval: 15s}
remote_read:
  - url: http://127.0.0.1:$sp/api/v1/read
    read_recent: true
YAML
"$STRATA" run -c "$work/strata.yaml" > "$work/strata.log" 2>&1 &
STARTED_PIDS+=($!)
"$PROMETHEUS" --config.file="$work/prom.yml" --storage.tsdb.path="$work/prom-data" \
  --web.listen-address="127.0.0.1:$pp" --web.enable-remote-write-receiver > "$work/prom.log" 2>&1 &
STARTED_PIDS+=($!)
"$PROMETHEUS" --config.file="$work/reader.yml" --storage.tsdb.path="$work/reader-data" \
  --web.listen-address="127.0.0.1:$rp" > "$work/reader.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$sp/-/ready" 20 || { tail "$work/strata.log"; exit 1; }
wait_http "http://127.0.0.1:$pp/-/ready" 30 || { tail "$work/prom.log"; exit 1; }
wait_http "http://127.0.0.1:$rp/-/ready" 30 || { tail "$work/reader.log"; exit 1; }

end=$(( $(date +%s) / 60 * 60 ))
"$LOADGEN" "http://127.0.0.1:$sp/api/v1/write" "$end"
"$LOADGEN" "http://127.0.0.1:$pp/api/v1/write" "$end"

queries=(
  'rate(http_requests_total[5m])'
  'sum by (job) (rate(http_requests_total[5m]))'
  'topk(3, rate(http_requests_total[5m]))'
  'quantile_over_time(0.9, request_latency_seconds[10m])'
  'avg_over_time(request_latency_seconds[5m])'
  'count by (job, code) (http_requests_total)'
  'http_requests_total{instance=~".*0:9100", code!="500"}'
  'sum by (job) (rate(http_requests_total{code="500"}[5m])) / sum by (job) (rate(http_requests_total[5m]))'
  'count by (__name__) ({__name__=~".+"})'
  'avg by (instance) (rate(http_requests_total[5m])) > 1'
  'max(request_latency_seconds) - min(request_latency_seconds)'
  # Ties at the k-th place over a selector: the same series as Prometheus must be kept.
  'topk(4, tie_gauge)'
  'bottomk(5, tie_gauge)'
  'topk by (job) (2, tie_gauge)'
  'topk(1, tie_gauge)'
)
start=$((end - 40 * 60))
failures=0
for q in "${queries[@]}"; do
  for mode in instant range; do
    if [[ $mode == instant ]]; then
      args=(query instant --time="$end")
    else
      args=(query range --start="$start" --end="$end" --step=60s)
    fi
    "$PROMTOOL" "${args[@]}" "http://127.0.0.1:$sp" "$q" > "$work/s.out" 2>&1 || true
    "$PROMTOOL" "${args[@]}" "http://127.0.0.1:$pp" "$q" > "$work/p.out" 2>&1 || true
    if out=$(python3 "$here/compare_promtool.py" "$work/p.out" "$work/s.out"); then
      echo "ok $mode: $q ($out)"
    else
      echo "MISMATCH $mode: $q"; echo "$out"; head -5 "$work/p.out" "$work/s.out"
      failures=$((failures + 1))
    fi
  done
done

# (c) remote read: the reader holds nothing itself.
q='sum by (job) (http_requests_total)'
"$PROMTOOL" query instant --time="$end" "http://127.0.0.1:$rp" "$q" > "$work/r.out" 2>&1 || true
"$PROMTOOL" query instant --time="$end" "http://127.0.0.1:$sp" "$q" > "$work/s.out" 2>&1 || true
if out=$(python3 "$here/compare_promtool.py" "$work/r.out" "$work/s.out"); then
  echo "ok remote_read: $q ($out)"
else
  echo "MISMATCH remote_read: $q"; echo "$out"; cat "$work/r.out"; tail -5 "$work/reader.log"
  failures=$((failures + 1))
fi
echo "promtool-compare: $(( ${#queries[@]} * 2 + 1 )) comparisons, $failures mismatches"
[[ $failures -eq 0 ]] || fail "$failures mismatches"
