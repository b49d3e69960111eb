#!/usr/bin/env bash
# (1) strata: generator -> remote_write exporter -> a real Prometheus 2.42 receiver.
# A debug exporter on the same pipeline writes every generated sample to a file; after strata
# drains on SIGTERM, Prometheus must hold exactly that many samples, for every series.
# Usage: generator_to_prometheus.sh BUILD_DIR
source "$(dirname "$0")/../lib/harness.sh"
source "$(dirname "$0")/lib.sh"
STRATA=$1/bin/strata
work=$(mktemp -d)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT

prom=$(free_port)
admin=$(free_port)
start_prom_receiver "$prom" "$work/prom"

cat > "$work/p.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: $work/data, log_level: info}
receivers:
  generator: {series: 5, interval: 100ms, metric_name: rwout_generated}
exporters:
  remote_write:
    url: http://127.0.0.1:$prom/api/v1/write
    remote_timeout: 5s
    queue_config: {batch_send_deadline: 500ms, max_samples_per_send: 20}
  debug: {output_file: $work/generated.txt}
pipelines:
  metrics/main: {receivers: [generator], processors: [], exporters: [remote_write, debug]}
YAML
start_strata "$work/p.yaml" "$work/strata.log" "$admin"
enough() { [ -f "$work/generated.txt" ] && [ "$(wc -l < "$work/generated.txt")" -ge 150 ]; }
wait_until 30 enough || fail "generator did not produce 150 samples"
sent_before=$(num "$(metric_value "http://127.0.0.1:$admin/metrics" \
  'strata_remote_write_samples_sent_total{component="remote_write"}')")
[ "$sent_before" -gt 0 ] || { cat "$work/strata.log"; fail "nothing sent while running"; }
stop_pid "$STRATA_PID" 20
expected=$(wc -l < "$work/generated.txt")

total() { [ "$(num "$(prom_scalar "$prom" 'sum(count_over_time(rwout_generated[10m]))')")" -eq "$expected" ]; }
wait_until 20 total || fail "prometheus has $(prom_scalar "$prom" \
  'sum(count_over_time(rwout_generated[10m]))') samples, generated $expected"
series=$(prom_scalar "$prom" 'count(count_over_time(rwout_generated[10m]))')
[ "$(num "$series")" -eq 5 ] || fail "expected 5 series in prometheus, got $series"
# Every series alone: what the debug file holds for it is what prometheus has.
for s in 0 1 2 3 4; do
  want=$(grep -c "series=\"$s\"" "$work/generated.txt")
  got=$(num "$(prom_scalar "$prom" "count_over_time(rwout_generated{series=\"$s\"}[10m])")")
  [ "$got" -eq "$want" ] || fail "series $s: prometheus $got, generated $want"
done
echo "ok: $expected generated samples in 5 series all queryable in prometheus"
