# Starting each system under test on loopback with a fresh data dir. Each start_* sets
#   SYS_PID, SYS_WRITE_URL (remote write 1.0; Strata's also takes 2.0), SYS_QUERY_URL
#   (Prometheus API base or "" when the build has no query API),
#   SYS_DATA (the directory measured at rest).
# Requires procs.sh, and STRATA_BIN, WORK (scratch dir), STRATA_STORE (block_store|debug).

SYSTEMS=(strata prometheus victoriametrics)

# The plugin listing; its exit status is not used: in the sanitizer build LeakSanitizer's exit
# check of `strata plugins` (every plugin loaded) can abort on a dynamic-TLS entry it cannot
# read ("Tracer caught signal 11") after the listing is complete.
strata_plugin_list() { "$STRATA_BIN" plugins 2>/dev/null || true; }

strata_store_kind() {
  if strata_plugin_list | awk '$1 == "storage" && $2 == "block_store"' | grep -q .
  then echo block_store; else echo debug; fi
}

strata_has_query_api() {
  strata_plugin_list | awk '$1 == "service" && $2 == "promql_api"' | grep -q .
}

# The all-in-one shape on one port, like Prometheus: remote write in, block_store, and the
# promql_api over it (or the debug exporter when no block_store is built). STORE_OPTIONS
# (optional, YAML flow-map entries) configure block_store, e.g. a short `block_duration` so a
# short data span gets sealed into blocks.
write_strata_pipeline() {
  local file=$1 port=$2 data=$3 store_options=${4:-}
  local addr="\"127.0.0.1:$port\""
  {
    echo "server: {listen_address: $addr, data_dir: \"$data\", log_level: warn}"
    echo "receivers:"
    # ack: delivered, as pipelines/central-receiver.yaml and all-in-one.yaml ship it: a 2xx
    # means the block store committed the samples (an accepted-only ack would hide refusals).
    echo "  remote_write: {listen_address: $addr, ack: delivered}"
    if [ "$STRATA_STORE" = block_store ]; then
      echo "storage:"
      echo "  block_store: {$store_options}"
      if strata_has_query_api; then
        echo "services:"
        echo "  promql_api: {listen_address: $addr, sources: [block_store]}"
      fi
      echo "pipelines:"
      echo "  metrics: {receivers: [remote_write], exporters: [block_store]}"
    else
      echo "exporters:"
      echo "  debug: {verbosity: basic}"
      echo "pipelines:"
      echo "  metrics: {receivers: [remote_write], exporters: [debug]}"
    fi
  } >"$file"
}

# strata_check_stored EXPECTED: the block store appended every sample sent and refused none.
strata_check_stored() {
  local m appended rejected sum='{ n += $2 } END { print n + 0 }'
  m=$(curl -fsS "$SYS_BASE/metrics") || bench_fail "strata: no /metrics"
  appended=$(awk "/^strata_block_store_samples_appended_total/ $sum" <<<"$m")
  rejected=$(awk "/^strata_block_store_samples_rejected_total/ $sum" <<<"$m")
  [ "$appended" = "$1" ] && [ "$rejected" = 0 ] ||
    bench_fail "strata block_store appended $appended of $1 samples, refused $rejected"
}

# strata_store_has_option NAME: whether this build's block_store knows the option. The host
# refuses an unknown option and lists the allowed ones, so ask it with a bogus one.
strata_store_has_option() {
  local dir out
  dir=$(mktemp -d "$WORK/probe.XXXXXX")
  printf '%s\n' "server: {listen_address: \"127.0.0.1:1\", data_dir: \"$dir\"}" "storage:" \
    "  block_store: {bench_probe: 1}" >"$dir/p.yaml"
  out=$(timeout 20 "$STRATA_BIN" run -c "$dir/p.yaml" 2>&1) || true  # it fails, as it should
  grep 'allowed:' <<<"$out" | grep -qw "$1"
}

# start_strata DIR [STORE_OPTIONS]
start_strata() {
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir/data"
  write_strata_pipeline "$dir/pipeline.yaml" "$port" "$dir/data" "${2:-}"
  "$STRATA_BIN" run -c "$dir/pipeline.yaml" >"$dir/log" 2>&1 &
  SYS_PID=$!
  BENCH_PIDS+=("$SYS_PID")
  SYS_BASE="http://127.0.0.1:$port"
  SYS_WRITE_URL="$SYS_BASE/api/v1/write"
  SYS_QUERY_URL=""
  if [ "$STRATA_STORE" = block_store ] && strata_has_query_api; then
    SYS_QUERY_URL="http://127.0.0.1:$port"
  fi
  SYS_DATA="$dir/data"
  [ "$STRATA_STORE" = block_store ] && SYS_DATA="$dir/data/block_store"
  wait_http "http://127.0.0.1:$port/-/ready" 30 "$SYS_PID"
}

start_prometheus() {
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir"
  echo "global: {scrape_interval: 1h}" >"$dir/prometheus.yml"
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" --web.enable-remote-write-receiver \
    >"$dir/log" 2>&1 &
  SYS_PID=$!
  BENCH_PIDS+=("$SYS_PID")
  SYS_WRITE_URL="http://127.0.0.1:$port/api/v1/write"
  SYS_QUERY_URL="http://127.0.0.1:$port"
  SYS_DATA="$dir/data"
  wait_http "$SYS_QUERY_URL/-/ready" 60 "$SYS_PID"
}

start_victoriametrics() {
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir"
  # latencyOffset=0s: otherwise the newest 30 s are hidden from queries.
  victoria-metrics -httpListenAddr="127.0.0.1:$port" -storageDataPath="$dir/data" \
    -search.latencyOffset=0s -retentionPeriod=100y >"$dir/log" 2>&1 &
  SYS_PID=$!
  BENCH_PIDS+=("$SYS_PID")
  SYS_WRITE_URL="http://127.0.0.1:$port/api/v1/write"
  SYS_QUERY_URL="http://127.0.0.1:$port"
  SYS_DATA="$dir/data"
  wait_http "$SYS_QUERY_URL/health" 60 "$SYS_PID"
}

# Make what a system acknowledged persistent and compact before measuring it at rest.
persist_victoriametrics() {
  curl -fsS "$SYS_QUERY_URL/internal/force_flush" >/dev/null
  curl -fsS "$SYS_QUERY_URL/internal/force_merge" >/dev/null
  wait_dir_stable "$SYS_DATA" 60
}

system_version() {
  case $1 in
    strata) "$STRATA_BIN" version 2>&1 | head -1 ;;
    prometheus) prometheus --version 2>&1 | head -1 ;;
    victoriametrics)  # Debian's build prints an empty -version: ask the package manager
      local v
      v=$(victoria-metrics -version 2>&1 | head -1)
      [ -n "$v" ] || v="victoria-metrics $(dpkg-query -W -f='${Version}' victoria-metrics 2>/dev/null)"
      echo "$v" ;;
  esac
}

# --- The scrape benchmark's edge agents (run.sh scrape). Each sets SYS_PID and SYS_BASE. ---

strata_has_edge_plugins() {
  local p
  p=$(strata_plugin_list)
  awk '$1 == "receiver" && $2 == "prometheus_scrape"' <<<"$p" | grep -q . &&
    awk '$1 == "exporter" && $2 == "remote_write"' <<<"$p" | grep -q .
}

# start_strata_agent DIR TARGET WRITE_URL CLUSTER INTERVAL_S: the shipped
# pipelines/edge-agent.yaml, unchanged, configured through its ${STRATA_*} variables: it
# scrapes TARGET (in place of node-exporter) and itself, adds the external labels, and
# remote-writes through its durable queue to WRITE_URL.
start_strata_agent() {
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir/data"
  STRATA_LISTEN_ADDRESS="127.0.0.1:$port" STRATA_NODE_EXPORTER="$2" \
    STRATA_REMOTE_WRITE_URL="$3" STRATA_CLUSTER="$4" STRATA_DATA_DIR="$dir/data" \
    STRATA_SCRAPE_INTERVAL="${5}s" STRATA_SCRAPE_TIMEOUT="${5}s" \
    "$STRATA_BIN" run -c "$ROOT/pipelines/edge-agent.yaml" >"$dir/log" 2>&1 &
  SYS_PID=$!
  BENCH_PIDS+=("$SYS_PID")
  SYS_BASE="http://127.0.0.1:$port"
  wait_http "$SYS_BASE/-/ready" 30 "$SYS_PID"
}

# start_prometheus_agent DIR TARGET WRITE_URL CLUSTER INTERVAL_S: Prometheus 2.42 in agent mode
# with the same shape: the same target and itself, the same external labels, remote write with
# its default queue_config.
start_prometheus_agent() {
  local dir=$1 port
  port=$(free_port)
  mkdir -p "$dir"
  cat >"$dir/prometheus.yml" <<YML
global:
  scrape_interval: ${5}s
  scrape_timeout: ${5}s
  external_labels: {cluster: "$4", region: region-0, replica: "0"}
scrape_configs:
  - job_name: node
    static_configs: [{targets: ["$2"]}]
  - job_name: prometheus-agent
    static_configs: [{targets: ["127.0.0.1:$port"]}]
remote_write:
  - url: "$3"
YML
  prometheus --enable-feature=agent --config.file="$dir/prometheus.yml" \
    --storage.agent.path="$dir/data" --web.listen-address="127.0.0.1:$port" >"$dir/log" 2>&1 &
  SYS_PID=$!
  BENCH_PIDS+=("$SYS_PID")
  SYS_BASE="http://127.0.0.1:$port"
  wait_http "$SYS_BASE/-/ready" 60 "$SYS_PID"
}

# vm_rows_on_disk DATA: rows in VictoriaMetrics' data parts on disk (1.79 names a part dir
# ROWS_BLOCKS_MINTS_MAXTS_ID; the newest rows stay in memory for a few seconds first).
vm_rows_on_disk() {
  find "$1/data/small" "$1/data/big" -mindepth 2 -maxdepth 2 -type d -regex '.*/[0-9]+_[0-9]+_[^/]*' \
    -printf '%f\n' 2>/dev/null | awk -F_ '{ n += $1 } END { print n + 0 }'
}

# vm_wait_on_disk DATA ROWS SECONDS: until the parts on disk hold ROWS rows.
vm_wait_on_disk() {
  local deadline=$((SECONDS + $3))
  until [ "$(vm_rows_on_disk "$1")" = "$2" ]; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}
