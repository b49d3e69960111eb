#!/usr/bin/env bash
# Twenty real edge agents (the shipped pipelines/edge-agent.yaml, 5 s scrape interval, each with
# its own cluster label, all scraping one real node-exporter) remote-write to one all-in-one
# node for a minute: the load under which the old thread-per-connection front stopped
# answering. Throughout, /-/ready and a query must answer with p99 under 100 ms; afterwards no
# agent may have failed or dropped a sample, and every cluster's series must be queryable.
# Usage: edge_agents.sh BUILD_DIR SOURCE_DIR [AGENTS] [SECONDS]
set -euo pipefail
source "$(dirname "$0")/../lib/harness.sh"
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
agents=${3:-20}
seconds=${4:-60}
work=$(mktemp -d)
central=$(free_port)
exporter=$(free_port)
base="http://127.0.0.1:$central"

prometheus-node-exporter --web.listen-address="127.0.0.1:$exporter" > "$work/ne.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "http://127.0.0.1:$exporter/metrics" 20

STRATA_LISTEN_ADDRESS="127.0.0.1:$central" STRATA_DATA_DIR="$work/central" \
  STRATA_NODE_EXPORTER="127.0.0.1:1" "$build/bin/strata" run > "$work/central.log" 2>&1 &
central_pid=$!
STARTED_PIDS+=("$central_pid")
wait_http "$base/-/ready" 30

admin_ports=()
for i in $(seq 1 "$agents"); do
  p=$(free_port)
  admin_ports+=("$p")
  STRATA_LISTEN_ADDRESS="127.0.0.1:$p" STRATA_DATA_DIR="$work/agent$i" \
    STRATA_NODE_EXPORTER="127.0.0.1:$exporter" STRATA_CLUSTER="cluster-$i" STRATA_REPLICA=0 \
    STRATA_REMOTE_WRITE_URL="$base/api/v1/write" STRATA_SCRAPE_INTERVAL=5s \
    STRATA_SCRAPE_TIMEOUT=4s "$build/bin/strata" run -c "$src/pipelines/edge-agent.yaml" \
    > "$work/agent$i.log" 2>&1 &
  STARTED_PIDS+=($!)
done
for p in "${admin_ports[@]}"; do wait_http "http://127.0.0.1:$p/-/ready" 30; done
echo "$agents agents running"

# Probes for the whole minute (one conn-load writer as well, so the run has an ack check).
"$build/bin/conn-load" --write-url "$base/api/v1/write" --connections 1 --interval-ms 1000 \
  --duration-s "$seconds" --probe-url "$base/-/ready" \
  --probe-url "$base/api/v1/query?query=count(up)" > "$work/probes.json" 2> "$work/probes.err" \
  && rc=0 || rc=$?
cat "$work/probes.json"; echo
[ "$rc" = 0 ] || fail "probes failed (exit $rc)"
# HTTP_FRONT_P99_BOUND_MS: raised by the sanitizer build's CMake (see many_clients.sh).
python3 - "$work/probes.json" "${HTTP_FRONT_P99_BOUND_MS:-100}" <<'PY' ||
import json, sys
r = json.load(open(sys.argv[1]))
bound = float(sys.argv[2])
bad = [p for p in r["probes"] if p["p99_ms"] >= bound or p["errors"] or p["timeouts"]]
for p in r["probes"]:
    print(f"{p['url']}: p50 {p['p50_ms']} ms, p99 {p['p99_ms']} ms, {p['count']} probes")
sys.exit(1 if bad else 0)
PY
  fail "probe latency out of bounds"

# No agent failed or dropped anything; every agent's samples arrived.
sum_metric() { curl -fsS "$1" | awk -v m="$2" 'index($1, m) == 1 { s += $2 } END { print s + 0 }'; }
total_sent=0
for p in "${admin_ports[@]}"; do
  m="http://127.0.0.1:$p/metrics"
  for bad in strata_remote_write_samples_failed_total strata_remote_write_samples_dropped_total; do
    v=$(sum_metric "$m" "$bad")
    [ "$v" = 0 ] || fail "agent on :$p: $bad = $v"
  done
  sent=$(sum_metric "$m" strata_remote_write_samples_sent_total)
  [ "${sent%.*}" -gt 0 ] || fail "agent on :$p sent nothing"
  total_sent=$((total_sent + ${sent%.*}))
done
clusters=$(curl -fsS "$base/api/v1/query" \
  --data-urlencode 'query=count(count by (cluster) (up{job="node"} == 1))' |
  python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)')
[ "$clusters" = "$agents" ] || fail "node series of $clusters clusters stored (wanted $agents)"
refused404=$(sum_metric "$base/metrics" 'strata_http_requests_refused_total{code="404"')
[ "$refused404" = 0 ] || fail "the central node answered 404 $refused404 times"
grep -l "status=404\|dropped" "$work"/agent*.log && fail "an agent logged a refused or dropped write"
echo "PASS: $agents edge agents, $total_sent samples sent, all $clusters clusters stored, no failures"
rm -rf "$work"
