# Shared helpers for integration test scripts: free ports, waiting with deadlines, and
# stopping only the processes this test started (by PID).
set -euo pipefail

STARTED_PIDS=()
cleanup_started() {
  for pid in "${STARTED_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup_started EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# A free loopback port below the ephemeral range.
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
  done
  fail "no free port"
}

# wait_http URL SECONDS: until URL answers 2xx.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "timeout waiting for $url"
    sleep 0.1
  done
}

# metric_value URL NAME_WITH_LABELS: the value of one series on a /metrics page.
metric_value() {
  curl -fsS "$1" | awk -v m="$2" '$1 == m { print $2; found=1 } END { if (!found) print "absent" }'
}

# wait_until SECONDS CMD...: until CMD succeeds; non-zero when the deadline passes first.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
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

# start_strata CONFIG LOG ADMIN_PORT: runs $STRATA with CONFIG until /-/ready; sets STRATA_PID.
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

# start_prom_receiver PORT DIR: a real Prometheus accepting remote write and scraping nothing.
# Restarting it on the same DIR keeps what it stored (its WAL is replayed). Sets PROM_PID.
start_prom_receiver() {
  local port=$1 dir=$2
  mkdir -p "$dir"
  printf 'global: {scrape_interval: 1m}\nscrape_configs: []\n' > "$dir/prometheus.yml"
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" --web.enable-remote-write-receiver \
    >> "$dir/log" 2>&1 &
  PROM_PID=$!
  STARTED_PIDS+=("$PROM_PID")
  wait_http "http://127.0.0.1:$port/-/ready" 60
}
