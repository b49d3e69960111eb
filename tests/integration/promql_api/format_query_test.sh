#!/usr/bin/env bash
# /api/v1/format_query of strata and of a real Prometheus 2.42 answer byte for byte alike for
# every query of format_queries.txt (long ones, split by the prettier over several lines).
# Usage: format_query_test.sh STRATA PROMETHEUS QUERIES. Loopback only, bounded.
set -euo pipefail
STRATA=$1
PROMETHEUS=$2
QUERIES=$3
here=$(dirname "$0")
source "$here/../lib/harness.sh"
work=$(mktemp -d)
trap 'cleanup_started; rm -rf "$work"' EXIT

sp=$(free_port); pp=$(free_port)
cat > "$work/strata.yaml" <<YAML
server: {listen_address: "127.0.0.1:$sp", data_dir: $work/strata-data, log_level: warn}
storage:
  block_store: {debug_listen_address: "127.0.0.1:$sp"}
services:
  promql_api: {listen_address: "127.0.0.1:$sp", sources: [block_store]}
YAML
echo "global: {scrape_interval: 1h}" > "$work/prom.yml"
"$STRATA" run -c "$work/strata.yaml" > "$work/strata.log" 2>&1 &
STARTED_PIDS+=($!)
"$PROMETHEUS" --config.file="$work/prom.yml" --storage.tsdb.path="$work/prom-data" \
  --web.listen-address="127.0.0.1:$pp" > "$work/prom.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$sp/-/ready" 20
wait_http "http://127.0.0.1:$pp/-/ready" 30

format() {
  curl -sS --max-time 10 "http://127.0.0.1:$1/api/v1/format_query" --data-urlencode "query=$2"
}

total=0 failed=0 split=0
while IFS= read -r q; do
  [ -n "$q" ] || continue
  total=$((total + 1))
  ours=$(format "$sp" "$q")
  theirs=$(format "$pp" "$q")
  case "$theirs" in *'\n'*) split=$((split + 1)) ;; esac
  if [ "$ours" != "$theirs" ]; then
    failed=$((failed + 1))
    printf 'MISMATCH for %s\n  strata:     %s\n  prometheus: %s\n' "$q" "$ours" "$theirs" >&2
  fi
done < "$QUERIES"
echo "format_query: $((total - failed))/$total alike with Prometheus ($split split over lines)"
[ "$total" -ge 20 ] || fail "only $total queries in $QUERIES"
[ "$split" -ge 15 ] || fail "only $split queries were long enough to split"
[ "$failed" -eq 0 ] || fail "$failed of $total differ"
