# Starting each system under test on loopback with a fresh data dir. Each start_* sets
#   SYS_PID, SYS_WRITE_URL (remote write 1.0), SYS_QUERY_URL (Prometheus API base or ""),
#   SYS_DATA (the directory measured at rest).
# Requires procs.sh, and STRATA_BIN, WORK (scratch dir), STRATA_STORE (block_store|debug).

SYSTEMS=(strata prometheus victoriametrics)

strata_store_kind() {
  if "$STRATA_BIN" plugins 2>/dev/null | awk '$1 == "storage" && $2 == "block_store"' | grep -q .
  then echo block_store; else echo debug; fi
}

# The pipeline Strata runs today: remote write in, block_store (or the debug exporter) out.
write_strata_pipeline() {
  local file=$1 admin=$2 rw=$3 data=$4 dbg=$5
  {
    echo "server: {listen_address: \"127.0.0.1:$admin\", data_dir: \"$data\", log_level: warn}"
    echo "receivers:"
    echo "  remote_write: {listen_address: \"127.0.0.1:$rw\"}"
    if [ "$STRATA_STORE" = block_store ]; then
      echo "storage:"
      # debug_listen_address: the plugin's lint refuses its own empty default (reported).
      echo "  block_store: {debug_listen_address: \"127.0.0.1:$dbg\"}"
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

start_strata() {
  local dir=$1 admin rw dbg
  admin=$(free_port); rw=$(free_port); dbg=$(free_port)
  mkdir -p "$dir/data"
  write_strata_pipeline "$dir/pipeline.yaml" "$admin" "$rw" "$dir/data" "$dbg"
  "$STRATA_BIN" run -c "$dir/pipeline.yaml" >"$dir/log" 2>&1 &
  SYS_PID=$!
  BENCH_PIDS+=("$SYS_PID")
  SYS_WRITE_URL="http://127.0.0.1:$rw/api/v1/write"
  SYS_QUERY_URL=""  # no query API yet (issue 6)
  SYS_DATA="$dir/data"
  [ "$STRATA_STORE" = block_store ] && SYS_DATA="$dir/data/block_store"
  wait_http "http://127.0.0.1:$admin/-/ready" 30 "$SYS_PID"
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
