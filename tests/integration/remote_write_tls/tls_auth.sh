#!/usr/bin/env bash
# remote-write-sender (libcurl, --cacert, --basic-auth) -> remote_write receiver on TLS with
# basic auth -> debug exporter: every acknowledged sample is delivered, byte for byte. Then a
# second receiver with mutual TLS and a bearer token: handshakes without a client certificate
# fail, wrong credentials are 401 with WWW-Authenticate, and plain HTTP gets no answer.
# Usage: tls_auth.sh STRATA SENDER
source "$(dirname "$0")/../lib/harness.sh"
source "$(dirname "$0")/lib.sh"
STRATA=$1
SENDER=$2
work=$(mktemp -d)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
make_pki "$work/pki"
pki=$work/pki
admin=$(free_port)
tls=$(free_port)
mtls=$(free_port)
digest=$(printf %s 's3cret' | sha256sum | cut -d' ' -f1)
printf 'b3arer\n' > "$work/token"

cat > "$work/p.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: $work/data, log_level: warn}
receivers:
  remote_write/tls:
    listen_address: "127.0.0.1:$tls"
    ack: delivered
    tls_config: {cert_file: $pki/server.crt, key_file: $pki/server.key}
    basic_auth_users: {alice: $digest}
  remote_write/mtls:
    listen_address: "127.0.0.1:$mtls"
    tls_config: {cert_file: $pki/server.crt, key_file: $pki/server.key, client_ca_file: $pki/ca.crt}
    bearer_token_file: $work/token
exporters:
  debug: {output_file: $work/delivered.txt}
pipelines:
  metrics/rw: {receivers: [remote_write/tls, remote_write/mtls], processors: [], exporters: [debug]}
YAML
start_strata "$work/p.yaml" "$work/strata.log" "$admin"

url=https://127.0.0.1:$tls/api/v1/receive
"$SENDER" --url "$url" --cacert "$pki/ca.crt" --basic-auth alice:s3cret --series 20 \
  --samples-per-request 40 --interval-ms 5 --duration-s 2 --connections 2 \
  --ack-log "$work/ack.log" | tee "$work/summary"
grep -q ' rejected=0 connect_errors=0$' "$work/summary" || fail "sender saw errors"
acked=$(sed -E 's/.*acked=([0-9]+).*/\1/' "$work/summary")
[ "$acked" -gt 0 ] || fail "nothing acknowledged"
sort "$work/ack.log" > "$work/a"
sort "$work/delivered.txt" > "$work/d"
cmp -s "$work/a" "$work/d" || fail "delivered samples differ from the acknowledged ones"

# Wrong password and no credentials: 401 with a Basic challenge, counted.
code=$(curl -s -o /dev/null -D "$work/h" -w '%{http_code}' --cacert "$pki/ca.crt" \
  -u alice:wrong -X POST --data-binary '' "$url")
[ "$code" = 401 ] || fail "wrong password got $code"
grep -qi '^WWW-Authenticate: Basic realm="strata"' "$work/h" || fail "no Basic challenge"
[ "$(post_code "$url" --cacert "$pki/ca.crt")" = 401 ] || fail "no credentials not refused"
m="http://127.0.0.1:$admin/metrics"
refused=$(num "$(metric_value "$m" 'strata_remote_write_requests_total{code="401",component="remote_write/tls"}')")
[ "$refused" -eq 2 ] || fail "401s counted: $refused"
# An unknown CA (curl's system bundle) and plain HTTP: no HTTP exchange at all.
[ "$(post_code "$url")" = 000 ] || fail "an unverified server was accepted"
[ "$(post_code "http://127.0.0.1:$tls/api/v1/receive")" != 204 ] || fail "plain HTTP was served"

# Mutual TLS: no client certificate -> no exchange; with one -> auth is checked next.
murl=https://127.0.0.1:$mtls/api/v1/write
[ "$(post_code "$murl" --cacert "$pki/ca.crt")" = 000 ] || fail "mTLS without a client cert"
cert=(--cacert "$pki/ca.crt" --cert "$pki/client.crt" --key "$pki/client.key")
code=$(curl -s -o /dev/null -D "$work/h2" -w '%{http_code}' "${cert[@]}" -X POST \
  -H 'Authorization: Bearer nope' --data-binary '' "$murl")
[ "$code" = 401 ] || fail "wrong bearer got $code"
grep -qi '^WWW-Authenticate: Bearer realm="strata"' "$work/h2" || fail "no Bearer challenge"
code=$(post_code "$murl" "${cert[@]}" -H 'Authorization: Bearer b3arer')
[ "$code" = 204 ] || [ "$code" = 400 ] || fail "client certificate + token got $code"
echo "ok: $acked samples over TLS with basic auth; mTLS and 401s as expected"
