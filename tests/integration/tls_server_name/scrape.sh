#!/usr/bin/env bash
# prometheus_scrape with tls_config.server_name: an https target on 127.0.0.1 whose certificate
# names only metrics.example.internal. Without server_name the scrape fails on the certificate
# name (up 0, counted, logged); with it the scrape succeeds, the server sees that name as SNI
# and the Host header stays 127.0.0.1:PORT.
# Usage: scrape.sh BUILD_DIR
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

cat > "$work/p.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: $work/data, log_level: info}
receivers:
  prometheus_scrape:
    scrape_interval: 500ms
    scrape_timeout: 400ms
    scrape_configs:
      - job_name: plain
        scheme: https
        tls_config: {ca_file: $pki/ca.crt}
        static_configs: [{targets: ["127.0.0.1:$port"]}]
      - job_name: named
        scheme: https
        tls_config: {ca_file: $pki/ca.crt, server_name: $name}
        static_configs: [{targets: ["127.0.0.1:$port"]}]
exporters:
  debug: {output_file: $work/scraped.txt}
pipelines:
  metrics/scrape: {receivers: [prometheus_scrape], processors: [], exporters: [debug]}
YAML
start_strata "$work/p.yaml" "$work/strata.log" "$admin"

count() { grep -c "$1" "$work/scraped.txt" 2>/dev/null || true; }
scraped() { [ "$(count '^up{.*job="named"} 1 ')" -ge 3 ] && [ "$(count '^up{.*job="plain"} 0 ')" -ge 3 ]; }
wait_until 20 scraped || { cat "$work/strata.log" >&2; fail "no 3 scrapes of each job"; }

[ "$(count '^up{.*job="plain"} 1 ')" -eq 0 ] || fail "scraped without server_name"
[ "$(count '^up{.*job="named"} 0 ')" -eq 0 ] || fail "a scrape with server_name failed"
grep -q '^sni_test_gauge{.*job="named"} 42 ' "$work/scraped.txt" || fail "gauge not ingested"
grep -q 'sni_test_gauge{.*job="plain"}' "$work/scraped.txt" && fail "gauge ingested without name"
failed=$(counter "http://127.0.0.1:$admin/metrics" \
  'strata_scrape_failed_scrapes_total{component="prometheus_scrape"}')
[ "$failed" -ge 3 ] || fail "failed scrapes counted: $failed"
grep 'scrape failed' "$work/strata.log" | grep -q "127.0.0.1:$port.*$(printf %s \
  'certificate subject name')" || { cat "$work/strata.log" >&2; fail "no certificate name error logged"; }

# The server only sees the named job's requests (the others die in the handshake), each with
# SNI = the server name and the Host of the URL.
[ -s "$work/requests.log" ] || fail "the server saw no request"
bad=$(grep -v "^GET /metrics host=127.0.0.1:$port sni=$name\$" "$work/requests.log" || true)
[ -z "$bad" ] || fail "unexpected requests: $bad"
echo "ok: $(wc -l < "$work/requests.log") scrapes via server_name $name; plain ones failed: $failed"
