#!/usr/bin/env bash
# (3) outage: remote-write-sender -> strata (receiver, ack on delivery into the durable queue)
# -> remote_write exporter -> a real Prometheus 2.42. Prometheus goes down while data flows,
# strata is SIGKILLed and restarted during the outage, Prometheus comes back: every sample the
# sender saw acknowledged must be in Prometheus (exact (series, timestamp) set), and the queue
# must have stayed under queue.max_bytes without dropping anything. Bounded to ~60 s.
# Usage: outage.sh BUILD_DIR
source "$(dirname "$0")/../lib/harness.sh"
source "$(dirname "$0")/lib.sh"
STRATA=$1/bin/strata
SENDER=$1/bin/remote-write-sender
work=$(mktemp -d)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT

prom=$(free_port)
admin=$(free_port)
rw=$(free_port)
max_bytes=$((8 << 20))
start_prom_receiver "$prom" "$work/prom"

cat > "$work/p.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: $work/data, log_level: info}
receivers:
  remote_write: {listen_address: "127.0.0.1:$rw", ack: delivered}
exporters:
  remote_write/central:
    url: http://127.0.0.1:$prom/api/v1/write
    remote_timeout: 2s
    queue_config: {batch_send_deadline: 200ms, min_backoff: 50ms, max_backoff: 500ms, min_shards: 2}
    queue: {max_bytes: $max_bytes}
pipelines:
  metrics/relay: {receivers: [remote_write], processors: [], exporters: [remote_write/central]}
YAML
start_strata "$work/p.yaml" "$work/strata.log" "$admin"

"$SENDER" --url "http://127.0.0.1:$rw/api/v1/write" --series 20 --samples-per-request 100 \
  --interval-ms 50 --duration-s 24 --connections 2 --retry-timeout-s 30 \
  --ack-log "$work/ack.log" > "$work/sender.out" 2>&1 &
SENDER_PID=$!
STARTED_PIDS=("$SENDER_PID" "${STARTED_PIDS[@]}")

m="http://127.0.0.1:$admin/metrics"
c='{component="remote_write/central"}'
peak=0
# watch SECONDS: let data flow, recording the largest queue size seen.
watch() {
  local until=$((SECONDS + $1)) b
  while [ $SECONDS -lt $until ]; do
    b=$(num "$(metric_value "$m" "strata_remote_write_queue_bytes$c" 2>/dev/null || echo absent)")
    [ "$b" -gt "$peak" ] && peak=$b
    sleep 0.5
  done
}
watch 4
acked_before=$(wc -l < "$work/ack.log")
[ "$acked_before" -gt 0 ] || fail "nothing acknowledged before the outage"
stop_pid "$PROM_PID" 15                              # the outage begins
watch 6
queued=$(num "$(metric_value "$m" "strata_remote_write_queue_samples$c")")
[ "$queued" -gt 0 ] || fail "nothing queued during the outage"
kill -KILL "$STRATA_PID"                             # kill -9 during the outage
wait "$STRATA_PID" 2>/dev/null || true
start_strata "$work/p.yaml" "$work/strata.log" "$admin"
grep -q 'resuming the durable queue' "$work/strata.log" || fail "restart did not resume the queue"
watch 5
start_prom_receiver "$prom" "$work/prom"             # the outage ends
wait "$SENDER_PID" || true                           # it retried through the restart
cat "$work/sender.out"
acked=$(wc -l < "$work/ack.log")
[ "$acked" -gt "$acked_before" ] || fail "no samples acknowledged after the restart"

empty() { [ "$(num "$(metric_value "$m" "strata_remote_write_queue_samples$c")")" -eq 0 ]; }
wait_until 30 empty || fail "queue did not empty after the outage"
dropped=$(num "$(metric_value "$m" "strata_remote_write_samples_dropped_total{component=\"remote_write/central\",reason=\"queue_full\"}")")
[ "$dropped" -le 0 ] || fail "$dropped samples dropped for a full queue"
[ "$peak" -le "$max_bytes" ] || fail "queue reached $peak bytes > $max_bytes"

# Every acknowledged (series, timestamp) must be in Prometheus.
curl -fsS "http://127.0.0.1:$prom/api/v1/query" \
  --data-urlencode 'query=remote_write_sender_samples[10m]' > "$work/stored.json"
jq -r '.data.result[] | .metric.series as $s | .values[] |
  "\($s) \((.[0] * 1000) | round)"' "$work/stored.json" | sort -u > "$work/stored.txt"
sed -E 's/.*series="([0-9]+)".* ([0-9]+)$/\1 \2/' "$work/ack.log" | sort -u > "$work/acked.txt"
missing=$(comm -23 "$work/acked.txt" "$work/stored.txt" | wc -l)
[ "$missing" -eq 0 ] || fail "$missing of $(wc -l < "$work/acked.txt") acknowledged samples missing"
echo "ok: $acked acknowledged samples all in prometheus after outage + SIGKILL; peak queue $peak bytes"
