#!/usr/bin/env bash
# remote_write exporter with tls_config.server_name: an https endpoint on 127.0.0.1 whose
# certificate names only metrics.example.internal. Without server_name every send fails on the
# certificate name (send errors counted, a warning logged, nothing sent); with it the samples
# are sent, the server sees that name as SNI and the Host header stays 127.0.0.1:PORT.
# Usage: remote_write.sh BUILD_DIR
source "$(dirname "$0")/../lib/harness.sh"
source "$(dirname "$0")/lib.sh"
STRATA=$1/bin/strata
name=metrics.example.internal
work=$(mktemp -d)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
make_named_pki "$work/pki" "$name"
pki=$work/pki
port=$(free_port)
admin=$(free_port)
start_sni_server "$port" "$pki" "$work/requests.log" "$name"

url=https://127.0.0.1:$port/api/v1/write
cat > "$work/p.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: $work/data, log_level: info}
receivers:
  generator: {series: 3, interval: 100ms, metric_name: sni_generated}
exporters:
  remote_write/plain:
    url: $url
    tls_config: {ca_file: $pki/ca.crt}
    remote_timeout: 2s  # the drain at shutdown waits at most this for a queue that cannot empty
    queue_config: {batch_send_deadline: 100ms, min_backoff: 100ms, max_backoff: 200ms}
  remote_write/named:
    url: $url
    tls_config: {ca_file: $pki/ca.crt, server_name: $name}
    queue_config: {batch_send_deadline: 100ms}
pipelines:
  metrics/out: {receivers: [generator], processors: [],
                exporters: [remote_write/plain, remote_write/named]}
YAML
start_strata "$work/p.yaml" "$work/strata.log" "$admin"

m="http://127.0.0.1:$admin/metrics"
value() { counter "$m" "strata_remote_write_$1{component=\"remote_write/$2\"}"; }
progressed() { [ "$(value samples_sent_total named)" -ge 30 ] && [ "$(value send_errors_total plain)" -ge 3 ]; }
wait_until 20 progressed || { cat "$work/strata.log" >&2; fail "named sent $(value \
  samples_sent_total named), plain errors $(value send_errors_total plain)"; }

[ "$(value samples_sent_total plain)" -eq 0 ] || fail "sent without server_name"
[ "$(value send_errors_total named)" -eq 0 ] || fail "send errors with server_name"
grep -i 'remote_write/plain' "$work/strata.log" | grep -q 'certificate subject name' ||
  { cat "$work/strata.log" >&2; fail "no certificate name error logged"; }

# Only the named exporter's requests reach the server, each with SNI = the server name and the
# Host of the URL.
[ -s "$work/requests.log" ] || fail "the server saw no request"
bad=$(grep -v "^POST /api/v1/write host=127.0.0.1:$port sni=$name\$" "$work/requests.log" || true)
[ -z "$bad" ] || fail "unexpected requests: $bad"
echo "ok: $(value samples_sent_total named) samples via server_name $name;" \
  "$(value send_errors_total plain) failed sends without it"
