#!/usr/bin/env bash
# Scrape metadata end to end: the embedded all-in-one pipeline (prometheus_scrape ->
# block_store -> promql_api) and a real Prometheus 2.42 scrape the same real node-exporter;
# /api/v1/metadata?metric=node_cpu_seconds_total must give the same type and help on both,
# and every family Prometheus knows must have the same entries on ours. Also checks `limit`.
# Usage: metadata_vs_prometheus.sh BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/../lib/harness.sh"
build=$1
work=$(mktemp -d)
trap 'cleanup_started; rm -rf "$work"' EXIT

ne=$(free_port); prom=$(free_port); port=$(free_port)
while [ "$prom" = "$ne" ]; do prom=$(free_port); done
while [ "$port" = "$ne" ] || [ "$port" = "$prom" ]; do port=$(free_port); done

prometheus-node-exporter --web.listen-address="127.0.0.1:$ne" > "$work/ne.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$ne/metrics" 20

cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
  - job_name: node
    static_configs: [{targets: ["127.0.0.1:$ne"]}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom" > "$work/prometheus.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$prom/-/ready" 30

STRATA_LISTEN_ADDRESS="127.0.0.1:$port" STRATA_DATA_DIR="$work/data" \
  STRATA_NODE_EXPORTER="127.0.0.1:$ne" "$build/bin/strata" run > "$work/strata.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$port/-/ready" 20

q='metric=node_cpu_seconds_total'
ours() { curl -fsS "http://127.0.0.1:$port/api/v1/metadata${1:+?$1}"; }
theirs() { curl -fsS "http://127.0.0.1:$prom/api/v1/metadata${1:+?$1}"; }
# The all-in-one scrapes every 15 s, at an offset within the interval: allow a few.
wait_until 60 bash -c "curl -fsS 'http://127.0.0.1:$port/api/v1/metadata?$q' |
  jq -e '.data.node_cpu_seconds_total | length >= 1' > /dev/null" ||
  { cat "$work/strata.log"; fail "no metadata for node_cpu_seconds_total from strata"; }
wait_until 30 bash -c "curl -fsS 'http://127.0.0.1:$prom/api/v1/metadata?$q' |
  jq -e '.data.node_cpu_seconds_total | length >= 1' > /dev/null" ||
  fail "no metadata for node_cpu_seconds_total from Prometheus"

a=$(ours "$q"); b=$(theirs "$q")
echo "strata:     $a"
echo "prometheus: $b"
[ "$(jq -c '.status' <<< "$a")" = '"success"' ] || fail "status is not success"
[ "$(jq -cS '.data' <<< "$a")" = "$(jq -cS '.data' <<< "$b")" ] ||
  fail "node_cpu_seconds_total metadata differs"
[ "$(jq -r '.data.node_cpu_seconds_total[0].type' <<< "$a")" = counter ] || fail "type not counter"

# Every family Prometheus has (node-exporter's) has the same entries on ours, which also
# scrapes itself.
all_ours=$(ours ""); all_theirs=$(theirs "")
missing=$(jq -n --argjson o "$all_ours" --argjson t "$all_theirs" '
  [$t.data | to_entries[] | . as $e
   | select((($o.data[$e.key] // []) | sort) != ($e.value | sort)) | $e.key]')
[ "$missing" = "[]" ] || fail "families whose metadata differs from Prometheus': $missing"
families=$(jq '.data | length' <<< "$all_theirs")
echo "families compared: $families"
[ "$families" -gt 100 ] || fail "Prometheus knows only $families families"

[ "$(ours 'limit=3' | jq '.data | length')" = 3 ] || fail "limit=3 did not give 3 families"
[ "$(ours 'metric=no_such_metric' | jq -c '.data')" = '{}' ] || fail "unknown metric not {}"
echo "PASS"
