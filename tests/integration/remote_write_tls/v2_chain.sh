#!/usr/bin/env bash
# remote-write-sender -> strata A (remote_write receiver, 1.0) -> remote_write exporter with
# protocol 2.0 over TLS + basic auth -> strata B (remote_write receiver, TLS + basic auth,
# decodes 2.0) -> debug exporter. Every sample A acknowledged arrives at B, byte for byte.
# Usage: v2_chain.sh STRATA SENDER
source "$(dirname "$0")/../lib/harness.sh"
source "$(dirname "$0")/lib.sh"
STRATA=$1
SENDER=$2
work=$(mktemp -d)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
make_pki "$work/pki"
pki=$work/pki
admin_a=$(free_port)
admin_b=$(free_port)
rw_a=$(free_port)
rw_b=$(free_port)
digest=$(printf %s 'pw' | sha256sum | cut -d' ' -f1)

cat > "$work/b.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin_b", data_dir: $work/b, log_level: warn}
receivers:
  remote_write:
    listen_address: "127.0.0.1:$rw_b"
    tls_config: {cert_file: $pki/server.crt, key_file: $pki/server.key}
    basic_auth_users: {edge: $digest}
exporters:
  debug: {output_file: $work/delivered.txt}
pipelines:
  metrics/in: {receivers: [remote_write], processors: [], exporters: [debug]}
YAML
cat > "$work/a.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin_a", data_dir: $work/a, log_level: warn}
receivers:
  remote_write: {listen_address: "127.0.0.1:$rw_a", ack: delivered}
exporters:
  remote_write/central:
    url: https://127.0.0.1:$rw_b/api/v1/write
    protocol: "2.0"
    basic_auth: {username: edge, password: pw}
    tls_config: {ca_file: $pki/ca.crt}
    queue_config: {batch_send_deadline: 100ms, min_shards: 2, max_samples_per_send: 500}
pipelines:
  metrics/relay: {receivers: [remote_write], processors: [], exporters: [remote_write/central]}
YAML
start_strata "$work/b.yaml" "$work/b.log" "$admin_b"
start_strata "$work/a.yaml" "$work/a.log" "$admin_a"

"$SENDER" --url "http://127.0.0.1:$rw_a/api/v1/receive" --series 30 --samples-per-request 60 \
  --interval-ms 5 --duration-s 2 --connections 2 --ack-log "$work/ack.log" | tee "$work/summary"
grep -q ' rejected=0 connect_errors=0$' "$work/summary" || fail "sender saw errors"
acked=$(sed -E 's/.*acked=([0-9]+).*/\1/' "$work/summary")
[ "$acked" -gt 0 ] || fail "nothing acknowledged"

arrived() { [ -f "$work/delivered.txt" ] && [ "$(wc -l < "$work/delivered.txt")" -ge "$acked" ]; }
wait_until 30 arrived || { tail -5 "$work/a.log" >&2; fail "B got $(wc -l < "$work/delivered.txt" 2>/dev/null || echo 0) of $acked"; }
sort "$work/ack.log" > "$work/x"
sort "$work/delivered.txt" > "$work/y"
cmp -s "$work/x" "$work/y" || fail "what B stored differs from what A acknowledged"

ma="http://127.0.0.1:$admin_a/metrics"
c='component="remote_write/central"'
sent() { num "$(metric_value "$ma" "strata_remote_write_samples_sent_total{$c}")"; }
all_sent() { [ "$(sent)" -eq "$acked" ]; }
wait_until 10 all_sent || fail "exporter counts $(sent) sent of $acked"
failed=$(num "$(metric_value "$ma" "strata_remote_write_samples_failed_total{$c}")")
[ "$failed" -eq 0 ] || fail "$failed samples failed"
echo "ok: $acked samples through remote write 2.0 over TLS with basic auth"
