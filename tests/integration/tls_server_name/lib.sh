# Helpers of the tls_config.server_name tests (sourced after ../lib/harness.sh).

# make_named_pki DIR NAME: ca.{crt,key} and server.{crt,key} signed by the CA, whose only
# subject alternative name is DNS:NAME (no IP, no localhost).
make_named_pki() {
  local d=$1 name=$2 key=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  mkdir -p "$d"
  openssl req -x509 "${key[@]}" -keyout "$d/ca.key" -out "$d/ca.crt" -days 2 \
    -subj /CN=strata-sni-ca > "$d/log" 2>&1
  printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$name" > "$d/server.ext"
  openssl req "${key[@]}" -keyout "$d/server.key" -out "$d/server.csr" -subj "/CN=$name" \
    >> "$d/log" 2>&1
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 2 -extfile "$d/server.ext" -out "$d/server.crt" >> "$d/log" 2>&1
}

# start_sni_server PORT PKI_DIR LOG NAME: sni_server.py on 127.0.0.1:PORT until it answers
# (probed with curl's --connect-to and NAME); LOG is emptied once it does.
start_sni_server() {
  local port=$1 pki=$2 log=$3 name=$4
  python3 "$(dirname "${BASH_SOURCE[0]}")/sni_server.py" "$port" "$pki/server.crt" \
    "$pki/server.key" "$log" &
  STARTED_PIDS+=("$!")
  local deadline=$((SECONDS + 15))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$pki/ca.crt" \
    --connect-to "$name:$port:127.0.0.1:$port" "https://$name:$port/ready")" = 404 ]; do
    [ $SECONDS -lt $deadline ] || fail "sni_server did not start"
    sleep 0.1
  done
  : > "$log"
}

# counter URL SERIES: a counter's value as an integer (0 when absent).
counter() {
  local v
  v=$(metric_value "$1" "$2")
  [ "$v" = absent ] && echo 0 || printf '%.0f\n' "$v"
}
