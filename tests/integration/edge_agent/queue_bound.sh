#!/usr/bin/env bash
# Acceptance (issue 4), the byte bound of the durable queue: the shipped edge-agent.yaml with a
# small STRATA_QUEUE_MAX_BYTES scrapes every second while its receiver (a real Prometheus 2.42)
# is down. The queue must stay within the bound by dropping the OLDEST data, never silently:
# samples_dropped_total{reason="queue_full"} > 0, the log says so, and the exporter's books
# balance (in = sent + failed + dropped + queued). When Prometheus comes up, it must receive
# exactly what the agent reports as sent, and the newest scrapes without a gap.
# Usage: queue_bound.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/../lib/harness.sh"
source "$(dirname "$0")/lib.sh"
STRATA=$1/bin/strata
EDGE_YAML=$2/pipelines/edge-agent.yaml
work=$(mktemp -d)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT

# About 11 scrapes of node-exporter as queued (~90 KB each here). One scrape must fit (a batch
# larger than the whole bound is refused as too_large), and room must remain beside the
# request being retried (up to max_samples_per_send = 2000 samples, which cannot be dropped).
max_bytes=${QUEUE_MAX_BYTES:-1000000}
distinct_ports 3
ne=${PORTS[0]} prom=${PORTS[1]} admin=${PORTS[2]}
start_node_exporter "$ne" "$work/ne.log"

ext='cluster="edge-bound",region="test-region",replica="0"'
export STRATA_LISTEN_ADDRESS="127.0.0.1:$admin" STRATA_NODE_EXPORTER="127.0.0.1:$ne"
export STRATA_CLUSTER=edge-bound STRATA_REGION=test-region STRATA_REPLICA=0
export STRATA_REMOTE_WRITE_URL="http://127.0.0.1:$prom/api/v1/write"  # not up yet
export STRATA_DATA_DIR="$work/data" STRATA_SCRAPE_INTERVAL=1s STRATA_SCRAPE_TIMEOUT=1s
export STRATA_QUEUE_MAX_BYTES=$max_bytes
start_edge_agent "$work/strata.log"

c='{component="remote_write"}'
dropped_q='strata_remote_write_samples_dropped_total{component="remote_write",reason="queue_full"}'
peak=0
# Sample the queue size until drops have gone on for a few seconds.
deadline=$((SECONDS + 60)) since=0
while :; do
  b=$(agent_metric "strata_remote_write_queue_bytes$c")
  [ "$b" -le "$peak" ] || peak=$b
  d=$(agent_metric "$dropped_q")
  [ "$d" -le 0 ] || [ $since -gt 0 ] || since=$SECONDS
  [ $since -eq 0 ] || [ $((SECONDS - since)) -lt 5 ] || break
  [ $SECONDS -lt $deadline ] || fail "no drops within 60 s (queue at $b of $max_bytes bytes)"
  sleep 0.25
done
too_large=$(agent_metric 'strata_remote_write_samples_dropped_total{component="remote_write",reason="too_large"}')
echo "queue peak $peak bytes (bound $max_bytes), dropped for a full queue: $d, too large: $too_large"
[ "$peak" -le "$max_bytes" ] || fail "queue reached $peak bytes > $max_bytes"
[ "$too_large" -eq 0 ] || fail "$too_large samples refused as too large: raise QUEUE_MAX_BYTES"
grep -q 'durable queue full: dropped the oldest samples' "$work/strata.log" ||
  fail "drops were not logged"

start_prom_receiver "$prom" "$work/prom"
back_ms=$(now_ms)
newest() {
  prom_query "$prom" "timestamp(up{job=\"node\",$ext})" | jq -r '(.data.result[0].value[1] // "0" | tonumber) * 1000 | round'
}
wait_until 60 eval '[ "$(newest)" -gt "$back_ms" ]' || fail "nothing arrived after the receiver returned"

# The books, and Prometheus between two reads of sent_total (a 2xx means appended).
books() {
  curl -fsS "http://$STRATA_LISTEN_ADDRESS/metrics" | awk -v c="$c" -v dq="$dropped_q" '
    $1 == "strata_remote_write_samples_in_total" c { i = $2 }
    $1 == "strata_remote_write_samples_sent_total" c { s = $2 }
    $1 == "strata_remote_write_samples_failed_total" c { f = $2 }
    $1 == "strata_remote_write_queue_samples" c { q = $2 }
    $1 == dq { d = $2 }
    END { printf "%d %d %d %d %d\n", i, s, f, d, q }'
}
read -r in1 sent1 failed1 dropped1 queued1 < <(books)
end_s=$(date +%s.%3N)
stored=$(prom_query "$prom" "{$ext}[10m]" "$end_s" | jq '[.data.result[].values | length] | add // 0')
read -r _ sent2 _ _ _ < <(books)
echo "in $in1 = sent $sent1 + failed $failed1 + dropped $dropped1 + queued $queued1; prometheus holds $stored (sent $sent1..$sent2)"
[ "$in1" -eq $((sent1 + failed1 + dropped1 + queued1)) ] || fail "the exporter's books do not balance"
[ "$dropped1" -gt 0 ] || fail "nothing dropped"
[ "$stored" -ge "$sent1" ] && [ "$stored" -le "$sent2" ] || fail "prometheus holds $stored samples, agent sent $sent1..$sent2"

# Oldest dropped: the newest run of node scrapes in Prometheus has no gap, the gap is before.
prom_query "$prom" "up{job=\"node\",$ext}[10m]" "$end_s" |
  jq -r '.data.result[].values[][0] * 1000 | round' | sort -n > "$work/up.txt"
# (The request that was being retried when the bound was hit is kept, so the very first
# scrapes may arrive too, before the gap.)
python3 - "$work/up.txt" "$back_ms" <<'PY' || fail "the drops are not the oldest scrapes"
import sys
t = [int(x) for x in open(sys.argv[1])]
back = int(sys.argv[2])
gaps = [i for i in range(1, len(t)) if t[i] - t[i - 1] > 1500]
print(f"node up samples in prometheus: {len(t)}, gaps before indexes {gaps}, "
      f"newest run starts {back - t[gaps[-1]] if gaps else '-'} ms before the receiver returned")
# A gap exists, and the run after the last gap began during the outage: the newest scrapes
# of the outage were kept.
sys.exit(0 if gaps and t[gaps[-1]] < back else 1)
PY
stop_pid "$AGENT_PID" 15  # the agent before its receiver
echo "ok: the queue stayed within $max_bytes bytes, dropping the oldest $dropped1 samples, counted and logged"
