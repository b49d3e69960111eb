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
