# Helpers for the edge agent acceptance tests (sourced after ../lib/harness.sh). They run the
# shipped pipelines/edge-agent.yaml unchanged, configured only through its ${STRATA_*}
# variables, against a real node-exporter and a real Prometheus 2.42 on loopback. Every
# process is started here, registered in STARTED_PIDS, and stopped by PID.

now_ms() { date +%s%3N; }

# distinct_ports N: N free loopback ports, pairwise different (sets PORTS).
distinct_ports() {
  PORTS=()
  while [ ${#PORTS[@]} -lt "$1" ]; do
    local p
    p=$(free_port)
    [[ " ${PORTS[*]} " == *" $p "* ]] || PORTS+=("$p")
  done
}

# start_node_exporter PORT LOG: sets NE_PID.
start_node_exporter() {
  prometheus-node-exporter --web.listen-address="127.0.0.1:$1" >> "$2" 2>&1 &
  NE_PID=$!
  STARTED_PIDS+=("$NE_PID")
  wait_http "http://127.0.0.1:$1/metrics" 20
}

# start_edge_agent LOG: runs the shipped edge-agent.yaml with the STRATA_* variables exported
# by the caller; waits for /-/ready. Sets AGENT_PID and AGENT_READY_MS.
start_edge_agent() {
  "$STRATA" run -c "$EDGE_YAML" >> "$1" 2>&1 &
  AGENT_PID=$!
  STARTED_PIDS+=("$AGENT_PID")
  local deadline=$((SECONDS + 30))
  until curl -fsS -o /dev/null "http://$STRATA_LISTEN_ADDRESS/-/ready" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$AGENT_PID" 2>/dev/null; then
      cat "$1" >&2
      fail "the edge agent did not start"
    fi
    sleep 0.05
  done
  AGENT_READY_MS=$(now_ms)
}

# prom_query PORT QUERY [TIME]: the raw JSON answer of an instant query.
prom_query() {
  local args=(--data-urlencode "query=$2")
  [ $# -lt 3 ] || args+=(--data-urlencode "time=$3")
  curl -fsS "http://127.0.0.1:$1/api/v1/query" "${args[@]}"
}

# num VALUE: "absent" -> -1, floats -> integers.
num() {
  case $1 in absent | none | "") echo -1 ;; *) printf '%.0f' "$1" ;; esac
}

# agent_metric NAME_WITH_LABELS: a value from the agent's own /metrics, as an integer.
agent_metric() {
  num "$(metric_value "http://$STRATA_LISTEN_ADDRESS/metrics" "$1" 2>/dev/null || echo absent)"
}
