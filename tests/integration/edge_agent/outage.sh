#!/usr/bin/env bash
# Acceptance (issue 4), outage: the shipped pipelines/edge-agent.yaml scrapes a real
# node-exporter and itself every second and remote-writes to a real Prometheus 2.42. The
# Prometheus goes down; during the outage the agent is killed with SIGKILL and restarted once;
# then Prometheus returns. Every scrape before the kill and after the restart must be in
# Prometheus (one up sample per scrape slot, and all samples of all series of every scrape),
# the only gap being the agent's downtime; the durable queue must have stayed within
# STRATA_QUEUE_MAX_BYTES and dropped nothing.
#
# The outage lasts OUTAGE_SECONDS (default 60, so the test takes about 1.5 min);
# STRATA_SOAK=1 makes it 5 minutes (run the script directly: ctest's timeout is 180 s).
# Usage: outage.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/../lib/harness.sh"
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
STRATA=$1/bin/strata
EDGE_YAML=$2/pipelines/edge-agent.yaml
work=$(mktemp -d)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT

outage_s=${OUTAGE_SECONDS:-60}
[ -z "${STRATA_SOAK:-}" ] || outage_s=300
# A 1 s scrape of node-exporter and the agent queues about 50 KB/s here, so 64 MiB holds
# a 5 minute outage many times over: nothing may be dropped.
max_bytes=$((64 << 20))

distinct_ports 3
ne=${PORTS[0]} prom=${PORTS[1]} admin=${PORTS[2]}
start_node_exporter "$ne" "$work/ne.log"
start_prom_receiver "$prom" "$work/prom"

ext='cluster="edge-outage",region="test-region",replica="0"'
export STRATA_LISTEN_ADDRESS="127.0.0.1:$admin" STRATA_NODE_EXPORTER="127.0.0.1:$ne"
export STRATA_CLUSTER=edge-outage STRATA_REGION=test-region STRATA_REPLICA=0
export STRATA_REMOTE_WRITE_URL="http://127.0.0.1:$prom/api/v1/write"
export STRATA_DATA_DIR="$work/data" STRATA_SCRAPE_INTERVAL=1s STRATA_SCRAPE_TIMEOUT=1s
export STRATA_QUEUE_MAX_BYTES=$max_bytes
start1=$(now_ms)
start_edge_agent "$work/strata.log"

c='{component="remote_write"}'
peak=0 dropped=0 edge_peak=0
# watch SECONDS: keep sampling the agent's queue size (the peak) and its drop counter (the
# counter restarts with the process, so remember the largest value seen). Also the host's
# in-memory queue in front of the exporter: batches there are not durable yet (a SIGKILL
# loses them), so its peak says how much the kill could have cost beyond the scrape in flight.
watch() {
  local until=$((SECONDS + $1)) b d e
  while [ $SECONDS -lt $until ]; do
    b=$(agent_metric "strata_remote_write_queue_bytes$c")
    d=$(agent_metric 'strata_remote_write_samples_dropped_total{component="remote_write",reason="queue_full"}')
    e=$(agent_metric "strata_queue_batches$c")
    [ "$b" -le "$peak" ] || peak=$b
    [ "$d" -le "$dropped" ] || dropped=$d
    [ "$e" -le "$edge_peak" ] || edge_peak=$e
    sleep 0.5
  done
}
up_count() {
  prom_query "$prom" "count_over_time(up{job=\"node\",$ext}[10m])" | jq -r '.data.result[0].value[1] // 0'
}
wait_until 30 eval '[ "$(up_count)" -ge 3 ]' || fail "nothing reached prometheus before the outage"

stop_pid "$PROM_PID" 30  # the outage begins
echo "outage of ${outage_s}s begins"
watch $((outage_s / 2))
queued=$(agent_metric "strata_remote_write_queue_samples$c")
[ "$queued" -gt 0 ] || fail "nothing queued during the outage"
# kill -9 during the outage, right after a scrape was acknowledged: the receiver emits with
# ack on delivery, so every sample its emitted counter shows is in the durable queue already
# and must reach Prometheus (checked below, exactly). Samples counted after the last read and
# before the kill only add to what must be stored, never make the check lenient.
sc='strata_scrape_samples_emitted_total{component="prometheus_scrape"}'
e0=$(agent_metric "$sc")
acked=$e0
until [ "$acked" -gt "$e0" ]; do acked=$(agent_metric "$sc"); done
kill_ms=$(now_ms)
kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null || true
echo "agent SIGKILLed with $queued samples queued, $acked scraped samples acknowledged"
start2=$(now_ms)
start_edge_agent "$work/strata.log"
grep -q 'resuming the durable queue' "$work/strata.log" || fail "the restart did not resume the queue"
watch $((outage_s - outage_s / 2))
start_prom_receiver "$prom" "$work/prom"  # the outage ends

# The outage is over once the backlog is gone: with batch_send_deadline 5s a steady flow
# keeps a few seconds of data queued, so wait for a scrape stamped after END to arrive for
# each job (per-series order then says everything up to END arrived, or never will).
end_ms=$(now_ms)
end_s=$(printf '%d.%03d' $((end_ms / 1000)) $((end_ms % 1000)))
newest() {
  prom_query "$prom" "timestamp(up{job=\"$1\",$ext})" | jq -r '(.data.result[0].value[1] // "0" | tonumber) * 1000 | round'
}
for job in node strata-agent; do
  wait_until 90 eval '[ "$(newest $job)" -gt "$end_ms" ]' || fail "$job: the backlog did not arrive"
done
watch 1
age=$(agent_metric "strata_remote_write_queue_oldest_sample_age_seconds$c")
[ "$age" -le 10 ] || fail "the queue did not catch up: oldest sample ${age}s old"
failed=$(agent_metric "strata_remote_write_samples_failed_total$c")
stop_pid "$AGENT_PID" 15  # the agent before its receiver

echo "queue peak $peak bytes (bound $max_bytes), dropped for a full queue: $dropped, failed: $failed," \
  "in-memory edge queue peak $edge_peak batches"
[ "$peak" -gt 0 ] || fail "the queue never held anything"
[ "$peak" -le "$max_bytes" ] || fail "queue reached $peak bytes > $max_bytes"
[ "$dropped" -eq 0 ] || fail "$dropped samples dropped for a full queue"
! grep -q 'durable queue full' "$work/strata.log" || fail "the log reports drops"
[ "$failed" -le 0 ] || fail "$failed samples refused by prometheus"

range=$(((end_ms - start1) / 1000 + 10))s
status=0
for job in node strata-agent; do
  echo "job $job:"
  prom_query "$prom" "up{job=\"$job\",$ext}[$range]" "$end_s" > "$work/up.json"
  prom_query "$prom" "{job=\"$job\",$ext}[$range]" "$end_s" > "$work/all-$job.json"
  prom_query "$prom" "scrape_samples_post_metric_relabeling{job=\"$job\",$ext}[$range]" "$end_s" \
    > "$work/post.json"
  python3 "$here/check_scrapes.py" "$work/up.json" "$work/all-$job.json" "$work/post.json" 1000 \
    "$start1" "$kill_ms" "$start2" "$end_ms" || status=1
done
[ $status -eq 0 ] || fail "scraped samples missing after the outage"
# Exact at the kill: every sample acknowledged before it is stored (stamped before the kill).
stored=$(python3 -c '
import json, sys
kill = int(sys.argv[1])
print(sum(1 for f in sys.argv[2:] for r in json.load(open(f))["data"]["result"]
          for v in r["values"] if round(float(v[0]) * 1000) < kill))
' "$kill_ms" "$work/all-node.json" "$work/all-strata-agent.json")
echo "before the kill: $acked samples acknowledged, $stored stored"
[ "$stored" -ge "$acked" ] || fail "$((acked - stored)) acknowledged samples lost by the SIGKILL"
echo "ok: every scrape before the SIGKILL and after the restart arrived after a ${outage_s}s outage"
