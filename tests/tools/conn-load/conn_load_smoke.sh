#!/usr/bin/env bash
# conn-load against a tiny local keep-alive server (keepalive_server.py): 50 writers every
# 200 ms for 3 s plus one probe must all be acknowledged (exit 0, JSON on stdout, one ack-log
# line per acknowledged sample); against a server answering 400 the run must exit 1 with
# rejected > 0.
# Usage: conn_load_smoke.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../integration/lib/harness.sh"
build=$1
conn_load="$build/bin/conn-load"
[ -x "$conn_load" ] || fail "$conn_load is not built"
work=$(mktemp -d)
trap 'cleanup_started; rm -rf "$work"' EXIT

# start_server POST_STATUS: sets PORT and SERVER_PID.
start_server() {
  rm -f "$work/port"
  python3 "$here/keepalive_server.py" --post-status "$1" --port-file "$work/port" &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  wait_until 10 test -s "$work/port" || fail "the test server did not start"
  PORT=$(cat "$work/port")
}

# run_conn_load NAME: runs conn-load against $PORT; sets RC; NAME.json and NAME.err in $work.
run_conn_load() {
  set +e
  "$conn_load" --write-url "http://127.0.0.1:$PORT/api/v1/write" --connections 50 \
    --interval-ms 200 --duration-s 3 --timeout-ms 5000 \
    --probe-url "http://127.0.0.1:$PORT/-/ready" --ack-log "$work/$1.acks" \
    > "$work/$1.json" 2> "$work/$1.err"
  RC=$?
  set -e
}

# check NAME PYTHON_EXPRESSION: the expression over the JSON object `r` must be true.
check() {
  python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$work/$1.json" "$2" ||
    { cat "$work/$1.json" "$work/$1.err" >&2; fail "$1: not true: $2"; }
}

start_server 204
run_conn_load ok
[ "$RC" -eq 0 ] || { cat "$work/ok.json" "$work/ok.err" >&2; fail "ok run: exit $RC, want 0"; }
check ok 'r["writes_acked"] > 0 and r["rejected"] == 0'
check ok 'r["connections"] == 50 and r["connected"] == 50 and r["unacked_at_end"] == 0'
check ok 'r["writes_acked"] == r["writes_sent"] and r["status_counts"].get("204", 0) > 0'
check ok 'r["probes"][0]["count"] > 0 and r["probes"][0]["errors"] == 0'
check ok 'r["write_latency_ms"]["p50"] is not None'
acked=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["samples_acked"])' \
  "$work/ok.json")
lines=$(wc -l < "$work/ok.acks")
[ "$lines" -eq "$acked" ] || fail "ack log has $lines lines, samples_acked is $acked"
grep -qE '^conn_load_samples\{series="[0-4]",writer="(0|[1-9][0-9]?)"\} [0-9]+ [0-9]{13}$' \
  "$work/ok.acks" || { head -3 "$work/ok.acks" >&2; fail "ack log line format"; }
stop_pid "$SERVER_PID" 5

start_server 400
run_conn_load refused
[ "$RC" -eq 1 ] || { cat "$work/refused.json" "$work/refused.err" >&2; fail "400 run: exit $RC, want 1"; }
check refused 'r["rejected"] > 0 and r["writes_acked"] == 0 and r["status_counts"].get("400", 0) > 0'
stop_pid "$SERVER_PID" 5
echo PASS
