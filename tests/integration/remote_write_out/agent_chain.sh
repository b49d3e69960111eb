#!/usr/bin/env bash
# (2) a real Prometheus 2.42 agent (scraping itself) -> our remote_write receiver -> our
# remote_write exporter -> a real Prometheus 2.42 receiver. The samples our receiver accepted
# equal what the exporter queued, what it sent, and what the final Prometheus holds.
# Usage: agent_chain.sh BUILD_DIR
source "$(dirname "$0")/../lib/harness.sh"
source "$(dirname "$0")/lib.sh"
STRATA=$1/bin/strata
work=$(mktemp -d)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT

prom=$(free_port)
admin=$(free_port)
rw=$(free_port)
agent=$(free_port)
start_prom_receiver "$prom" "$work/prom"

cat > "$work/p.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: $work/data, log_level: info}
receivers:
  remote_write: {listen_address: "127.0.0.1:$rw", ack: delivered}
exporters:
  remote_write/central:
    url: http://127.0.0.1:$prom/api/v1/write
    queue_config: {batch_send_deadline: 200ms, min_shards: 2}
pipelines:
  metrics/relay: {receivers: [remote_write], processors: [], exporters: [remote_write/central]}
YAML
start_strata "$work/p.yaml" "$work/strata.log" "$admin"

mkdir -p "$work/agent"
cat > "$work/agent/agent.yml" <<YAML
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: agent
    static_configs: [{targets: ["127.0.0.1:$agent"]}]
remote_write:
  - url: http://127.0.0.1:$rw/api/v1/write
    queue_config: {batch_send_deadline: 500ms}
YAML
prometheus --enable-feature=agent --config.file="$work/agent/agent.yml" \
  --storage.agent.path="$work/agent/data" --web.listen-address="127.0.0.1:$agent" \
  >> "$work/agent/log" 2>&1 &
AGENT_PID=$!
STARTED_PIDS=("$AGENT_PID" "${STARTED_PIDS[@]}")  # cleanup stops the agent first

m="http://127.0.0.1:$admin/metrics"
received() { num "$(metric_value "$m" 'strata_remote_write_samples_received_total{component="remote_write"}')"; }
enough() { [ "$(received)" -ge 3000 ]; }
wait_until 45 enough || { tail -5 "$work/agent/log"; fail "our receiver got $(received) samples"; }
# Stop the agent BEFORE anything it writes to (it would ignore SIGTERM for minutes).
stop_pid "$AGENT_PID" 15

in_total() { num "$(metric_value "$m" 'strata_remote_write_samples_in_total{component="remote_write/central"}')"; }
sent() { num "$(metric_value "$m" 'strata_remote_write_samples_sent_total{component="remote_write/central"}')"; }
settled() { [ "$(in_total)" -eq "$(received)" ] && [ "$(sent)" -eq "$(in_total)" ]; }
wait_until 30 settled || fail "received=$(received) queued=$(in_total) sent=$(sent)"
went_in=$(received)
failed=$(num "$(metric_value "$m" 'strata_remote_write_samples_failed_total{component="remote_write/central"}')")
[ "$failed" -eq 0 ] || fail "$failed samples refused by the final prometheus"

arrived() { [ "$(prom_raw_count "$prom" '{__name__=~".+"}' 1h)" -eq "$went_in" ]; }
wait_until 20 arrived ||
  fail "final prometheus holds $(prom_raw_count "$prom" '{__name__=~".+"}' 1h), $went_in went in"
echo "ok: $went_in samples agent -> strata -> prometheus, none lost or added"
