#!/usr/bin/env bash
# The object storage benchmark of issue 15, in one run on one data set:
#   upload  bucket_uploader shipping the blocks a block_store finds at start, to a filesystem
#           bucket and to S3 (Ceph radosgw on loopback): MB/s;
#   query   the same query_range set (bucket_queries.txt) against a local block_store and a
#           store_gateway over each bucket, interleaved, answers checked identical: median and
#           p99 latency per system, and each node's VmRSS after start and at its peak.
#
#   tools/bench/bucket.sh [full|smoke]
#
# Data: tools/gateway-probe generate — BENCH_BUCKET_SERIES (2000) series sampled every 15 s in
# BENCH_BUCKET_BLOCKS (12) consecutive 2 h blocks ending 2 h ago; values are random (XOR barely
# compresses them: the bucket is large for its sample count, a worst case for fetched bytes).
# Repetitions: BENCH_BUCKET_REPS (20). The gateways run with their default caches (64 MiB).
# Writes the <!-- bench:bucket --> section of docs/benchmarks.md (BENCH_DOC); `smoke` (200
# series, 3 blocks, 3 reps) writes to a temp file. Without radosgw the S3 parts are left out.
# STRATA_BUILD (<repo>/build) with bin/strata, its plugins and bin/gateway-probe.
set -euo pipefail
MODE=${1:-full}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STRATA_BUILD=${STRATA_BUILD:-$ROOT/build}
STRATA=$STRATA_BUILD/bin/strata
PROBE=$STRATA_BUILD/bin/gateway-probe
source "$ROOT/tests/integration/lib/harness.sh"
source "$ROOT/tests/integration/lib/radosgw.sh"
case $MODE in
  smoke) SERIES=200 BLOCKS=3 REPS=3 ;;
  full) SERIES=${BENCH_BUCKET_SERIES:-2000} BLOCKS=${BENCH_BUCKET_BLOCKS:-12} REPS=${BENCH_BUCKET_REPS:-20} ;;
  *) echo "usage: $0 [full|smoke]" >&2; exit 2 ;;
esac
for tool in "$STRATA" "$PROBE"; do [ -x "$tool" ] || fail "$tool not built"; done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/strata-bucket-bench.XXXXXX")
trap 'cleanup_started; rm -rf "$WORK"' EXIT
RESULTS=$WORK/results.jsonl
DOC=${BENCH_DOC:-$ROOT/docs/benchmarks.md}
[ "$MODE" = smoke ] && { cp "$ROOT/docs/benchmarks.md" "$WORK/doc.md"; DOC=$WORK/doc.md; }
started=$(date +%s); load_before=$(cut -d' ' -f1-3 /proc/loadavg)

block_ms=$((2 * 3600 * 1000))
now_ms=$(($(date +%s) * 1000))
start_ms=$(((now_ms / block_ms - BLOCKS - 1) * block_ms))
end_ms=$((start_ms + BLOCKS * block_ms))
gen=$("$PROBE" generate --out "$WORK/gen" --blocks "$BLOCKS" --series "$SERIES" \
  --step-ms 15000 --start-ms "$start_ms")
samples=${gen#samples=}; samples=${samples%% *}; gen_bytes=${gen##*bytes=}
echo "bench: $BLOCKS blocks, $SERIES series, $samples samples, $((gen_bytes / 1048576)) MB"

s3=0
if radosgw_installed; then radosgw_start "$WORK/ceph"; s3=1; fi
s3_bucket() {
  cat <<YAML
      type: s3
      config: {endpoint: "$STRATA_TEST_S3_ENDPOINT", bucket: "$STRATA_TEST_S3_BUCKET", insecure: true,
               access_key: "$STRATA_TEST_S3_ACCESS_KEY", secret_key: "$STRATA_TEST_S3_SECRET_KEY"}
YAML
}
fs_bucket() { printf '      type: filesystem\n      config: {directory: "%s"}\n' "$WORK/bucket"; }

# upload NAME BUCKET_YAML_FUNCTION: a block_store holding the generated blocks ships them.
upload() {
  local name=$1 port dir=$WORK/up-$1
  port=$(free_port)
  mkdir -p "$dir/bs"; cp -r "$WORK/gen/." "$dir/bs/"
  cat > "$dir/strata.yaml" <<YAML
server: {listen_address: "127.0.0.1:$port", data_dir: "$dir/data", log_level: info}
receivers:
  remote_write: {listen_address: "127.0.0.1:$port"}
storage:
  block_store: {path: "$dir/bs", retention_time: 30d}
exporters:
  bucket_uploader:
    bucket:
$($2)
pipelines:
  metrics/in: {receivers: [remote_write], exporters: [block_store]}
  blocks/ship: {receivers: [block_store], exporters: [bucket_uploader]}
YAML
  local t0 t1 done_n bytes
  t0=$(date +%s.%N)
  start_strata "$dir/strata.yaml" "$dir/log" "$port"
  local pid=$STRATA_PID m='strata_bucket_uploader_blocks_uploaded_total{component="bucket_uploader"}'
  shipped() { done_n=$(metric_value "http://127.0.0.1:$port/metrics" "$m"); [ "${done_n:-0}" = "$BLOCKS" ]; }
  wait_until 600 shipped || { tail -30 "$dir/log"; fail "$name: $done_n of $BLOCKS blocks uploaded"; }
  t1=$(date +%s.%N)
  bytes=$(metric_value "http://127.0.0.1:$port/metrics" \
    'strata_bucket_uploader_uploaded_bytes_total{component="bucket_uploader"}')
  stop_pid "$pid" 30
  python3 -c "import json,sys; print(json.dumps({'section':'upload','bucket':'$name','blocks':$BLOCKS,'bytes':float('$bytes'),'seconds':$t1-$t0}))" >> "$RESULTS"
  echo "bench: upload $name: $BLOCKS blocks, $bytes bytes in $(python3 -c "print(round($t1-$t0,1))") s (start included)"
}
upload filesystem fs_bucket
[ $s3 = 1 ] && upload s3 s3_bucket

# Query nodes: local block store, gateway over each bucket.
SYSTEMS=() PIDS=() NAMES=()
query_node() {  # NAME STORAGE_YAML SOURCE
  local name=$1 port dir=$WORK/q-$1
  port=$(free_port); mkdir -p "$dir"
  cat > "$dir/strata.yaml" <<YAML
server: {listen_address: "127.0.0.1:$port", data_dir: "$dir/data", log_level: info}
storage:
$2
services:
  promql_api: {listen_address: "127.0.0.1:$port", sources: [$3]}
YAML
  start_strata "$dir/strata.yaml" "$dir/log" "$port"
  SYSTEMS+=("--system" "$name=http://127.0.0.1:$port"); PIDS+=("$STRATA_PID"); NAMES+=("$name")
  if [ "$3" = store_gateway ]; then
    local m='strata_store_gateway_blocks_loaded{component="store_gateway"}'
    loaded() { [ "$(metric_value "http://127.0.0.1:$port/metrics" "$m")" = "$BLOCKS" ]; }
    wait_until 120 loaded || { tail -30 "$dir/log"; fail "$name did not load $BLOCKS blocks"; }
  fi
}
mkdir -p "$WORK/local-bs"; cp -r "$WORK/gen/." "$WORK/local-bs/"
query_node local "  block_store: {path: \"$WORK/local-bs\", retention_time: 30d}" block_store
query_node gateway_fs "  store_gateway:
    bucket:
$(fs_bucket | sed 's/^/  /')" store_gateway
[ $s3 = 1 ] && query_node gateway_s3 "  store_gateway:
    bucket:
$(s3_bucket | sed 's/^/  /')" store_gateway

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
declare -A START_RSS
for i in "${!PIDS[@]}"; do START_RSS[$i]=$(rss_kb "${PIDS[$i]}"); done
( while :; do for p in "${PIDS[@]}"; do echo "$p $(rss_kb "$p")"; done; sleep 0.2; done ) \
  > "$WORK/rss.log" &
sampler=$!
exact=(); for n in "${NAMES[@]:1}"; do exact+=(--exact "$n=1e-9"); done
status=0
python3 "$HERE/lib/query_bench.py" --queries "$HERE/bucket_queries.txt" --first-ms "$start_ms" \
  --last-ms "$end_ms" --reps "$REPS" --out "$RESULTS" "${SYSTEMS[@]}" "${exact[@]}" || status=1
kill "$sampler"; wait "$sampler" 2>/dev/null || true
for i in "${!PIDS[@]}"; do
  peak=$(awk -v p="${PIDS[$i]}" '$1 == p && $2 > m {m = $2} END {print m + 0}' "$WORK/rss.log")
  echo "{\"section\":\"rss\",\"system\":\"${NAMES[$i]}\",\"start_kb\":${START_RSS[$i]},\"peak_kb\":$peak}" >> "$RESULTS"
done

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
header="- date: $(date -u +%Y-%m-%dT%H:%MZ), $(( $(date +%s) - started )) s; commit $commit; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM; load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after
- data: $BLOCKS blocks of 2 h, $SERIES series every 15 s, $samples samples, $((gen_bytes / 1048576)) MB of index + chunks (random values: a worst case for bytes per sample); S3 is Ceph radosgw (memstore OSD) on loopback$([ $s3 = 1 ] || echo ' — not installed, S3 left out')
- systems: \`local\` = block_store over the blocks on local disk; \`gateway_fs\` / \`gateway_s3\` = store_gateway (default options: 64 MiB of caches, index-headers on local disk) over the bucket the uploader filled; all behind promql_api, one node each, queried in turn"
python3 "$HERE/lib/bucket_report.py" --results "$RESULTS" --doc "$DOC" --header "$header" || status=1
sed -n '/<!-- bench:bucket -->/,/<!-- \/bench:bucket -->/p' "$DOC"
exit $status
