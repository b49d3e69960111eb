# Helpers of the remote_write TLS tests (sourced after ../lib/harness.sh).

# make_pki DIR: ca.{crt,key}, server.{crt,key} (SAN 127.0.0.1) and client.{crt,key}, both
# signed by the CA.
make_pki() {
  local d=$1 key=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  mkdir -p "$d"
  openssl req -x509 "${key[@]}" -keyout "$d/ca.key" -out "$d/ca.crt" -days 2 \
    -subj /CN=strata-it-ca > "$d/log" 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$d/server.ext"
  printf 'extendedKeyUsage=clientAuth\n' > "$d/client.ext"
  local n
  for n in server client; do
    openssl req "${key[@]}" -keyout "$d/$n.key" -out "$d/$n.csr" -subj "/CN=$n" >> "$d/log" 2>&1
    openssl x509 -req -in "$d/$n.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
      -days 2 -extfile "$d/$n.ext" -out "$d/$n.crt" >> "$d/log" 2>&1
  done
}

num() { [ "$1" = absent ] && echo 0 || printf '%.0f\n' "$1"; }

# post_code URL CURL_ARGS...: the HTTP status of an empty remote write POST ("000" when no
# HTTP exchange happened, e.g. a failed TLS handshake).
post_code() {
  local url=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-protobuf' \
    -H 'Content-Encoding: snappy' --data-binary '' "$@" "$url" || true
}
