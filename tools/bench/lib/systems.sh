# Starting each system under test on loopback with a fresh data dir. Each start_* sets
#   SYS_PID, SYS_WRITE_URL (remote write 1.0), SYS_QUERY_URL (Prometheus API base or "" when
#   the build has no query API),
#   SYS_DATA (the directory measured at rest).
# Requires procs.sh, and STRATA_BIN, WORK (scratch dir), STRATA_STORE (block_store|debug).

SYSTEMS=(strata prometheus victoriametrics)

strata_store_kind() {
  if "$STRATA_BIN" plugins 2>/dev/null | awk '$1 == "storage" && $2 == "block_store"' | grep -q .
  then echo block_store; else echo debug; fi
}

strata_has_query_api() {
  "$STRATA_BIN" plugins 2>/dev/null | awk '$1 == "service" && $2 == "promql_api"' | grep -q .
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
