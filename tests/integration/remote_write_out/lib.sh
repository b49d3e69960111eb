# Helpers for the remote_write exporter's integration tests (sourced after ../lib/harness.sh).
# Every process is started here by PID and registered in STARTED_PIDS for the harness' cleanup.

# start_prom_receiver PORT DIR: a real Prometheus accepting remote write, scraping nothing.
start_prom_receiver() {
  local port=$1 dir=$2
  mkdir -p "$dir"
  printf 'global: {scrape_interval: 1m}\nscrape_configs: []\n' > "$dir/prometheus.yml"
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" --web.enable-remote-write-receiver \
    >> "$dir/log" 2>&1 &
  PROM_PID=$!
  STARTED_PIDS+=("$PROM_PID")
  wait_http "http://127.0.0.1:$port/-/ready" 30
}

# stop_pid PID SECONDS: SIGTERM, wait up to SECONDS, then SIGKILL.
stop_pid() {
  local pid=$1 deadline=$((SECONDS + $2))
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
}

# start_strata CONFIG LOG ADMIN_PORT: sets STRATA_PID.
start_strata() {
  "$STRATA" run -c "$1" >> "$2" 2>&1 &
  STRATA_PID=$!
  STARTED_PIDS+=("$STRATA_PID")
  local deadline=$((SECONDS + 30))
  until curl -fsS -o /dev/null "http://127.0.0.1:$3/-/ready" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$STRATA_PID" 2>/dev/null; then
      cat "$2" >&2
      fail "strata did not start"
    fi
    sleep 0.1
  done
}

# prom_scalar PORT QUERY: the single value of an instant query ("none" for an empty result).
prom_scalar() {
  curl -fsS "http://127.0.0.1:$1/api/v1/query" --data-urlencode "query=$2" |
    jq -r 'if (.data.result | length) == 0 then "none" else .data.result[0].value[1] end'
}

# prom_raw_count PORT SELECTOR RANGE: raw samples the selector holds over RANGE (a range-vector
# query; count_over_time cannot span series that differ only in __name__).
prom_raw_count() {
  curl -fsS "http://127.0.0.1:$1/api/v1/query" --data-urlencode "query=$2[$3]" |
    jq '[.data.result[].values | length] | add // 0'
}

# wait_until SECONDS CMD...: until CMD succeeds.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# num VALUE: "absent"/"none" -> -1, floats -> integers (counters are whole numbers here).
num() {
  case $1 in absent | none) echo -1 ;; *) printf '%.0f' "$1" ;; esac
}
