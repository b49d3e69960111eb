#!/usr/bin/env bash
# The store gateway's memory is bounded by its configuration, not by the bucket (issue 15):
# gateway-probe writes a filesystem bucket of 3 consecutive 2 h blocks (random values, so
# index + chunks are big), a strata runs pipelines/store-gateway.yaml-like config over it with
# small caches, and while
#   1. a remote read (STREAMED_XOR_CHUNKS) of all 6 h, and
#   2. PromQL sum(rate(probe_metric[5m])) over the 6 h with a 1 m step, and a count check
# run, the gateway's VmRSS is sampled; the test fails when the answers are not exactly the
# generated sample count, and when the peak during either passes the stated bound (RSS before
# the queries + cache budget + MEMORY_SLACK_MB). The remote read's answer (about the size of
# the bucket) is streamed frame by frame (chunked HTTP), never held whole.
# Usage: memory_bound.sh BUILD_DIR      (MEMORY_BOUND_BIG=1: a >= 300 MB bucket, 64 MB cache)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/harness.sh"
build=$(cd "$1" && pwd)
work=$(mktemp -d)
SAMPLER=
trap 'if [ -n "$SAMPLER" ]; then kill "$SAMPLER" 2>/dev/null || true; fi; cleanup_started; rm -rf "$work"' EXIT

if [ "${MEMORY_BOUND_BIG:-0}" = 1 ]; then
  series=40000; cache_mb=64; slack=96  # glibc arenas of the busier worker threads
else
  series=12000; cache_mb=16; slack=64  # a bucket (130 MB) over the bound (~105 MB)
fi
# Slack: what the gateway's configuration does not bound by itself: the PromQL engine's own
# state, the postings refs of a select (8 bytes per matching series per block), the
# per-select batches (max_concurrent_selects x blocks x series_batch_size entries and their
# chunks) and allocator overhead.
slack_mb=${MEMORY_SLACK_MB:-$slack}
start_ms=1700000000000
end_ms=$((start_ms + 6 * 3600 * 1000 - 1))

gen=$("$build/bin/gateway-probe" generate --out "$work/bucket" --blocks 3 --series "$series" \
  --start-ms "$start_ms")
samples=${gen#samples=}; samples=${samples%% *}
bucket_bytes=${gen##*bytes=}
echo "   bucket: $((bucket_bytes / 1048576)) MB of index + chunks, $samples samples, $series series"

port=$(free_port)
base="http://127.0.0.1:$port"
cat > "$work/gateway.yaml" <<YAML
server: {listen_address: "127.0.0.1:$port", data_dir: "$work/gw-data", log_level: info}
storage:
  store_gateway:
    bucket: {type: filesystem, config: {directory: "$work/bucket"}}
    cache_max_bytes: $((cache_mb << 20))
    max_concurrent_selects: 2
services:
  promql_api: {listen_address: "127.0.0.1:$port", sources: [store_gateway],
               max_samples: 200000000, remote_read_sample_limit: 200000000}
YAML
STRATA="$build/bin/strata"
start_strata "$work/gateway.yaml" "$work/gateway.log" "$port"
GW=$STRATA_PID
loaded() { [ "$(metric_value "$base/metrics" 'strata_store_gateway_blocks_loaded{component="store_gateway"}')" = 3 ]; }
wait_until 30 loaded || { tail -20 "$work/gateway.log"; fail "gateway did not load 3 blocks"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$GW/status"; }
base_kb=$(rss_kb)
bound_kb=$((base_kb + (cache_mb + slack_mb) * 1024))

# Samples VmRSS every 50 ms into $work/rss until $work/stop exists.
sample_rss() {
  local peak=0 v
  while [ ! -e "$work/stop" ]; do
    v=$(rss_kb 2>/dev/null || echo 0)
    [ "${v:-0}" -gt "$peak" ] && peak=$v
    echo "$peak" > "$work/rss"
    sleep 0.05
  done
}
sample_rss & SAMPLER=$!

t0=$SECONDS
start_s=$((start_ms / 1000)); end_s=$((end_ms / 1000))
curl -fsS "$base/api/v1/query_range" --data-urlencode 'query=sum(rate(probe_metric[5m]))' \
  --data-urlencode "start=$start_s" --data-urlencode "end=$end_s" --data-urlencode step=60 \
  > "$work/range.json" || fail "range query failed"
points=$(grep -o '\[[0-9.]*,"[^"]*"\]' "$work/range.json" | wc -l)
[ "$points" -ge 350 ] || fail "sum(rate()) returned $points points, want about 360"
curl -fsS "$base/api/v1/query" --data-urlencode 'query=sum(count_over_time(probe_metric[7h]))' \
  --data-urlencode "time=$(((end_ms + 1000) / 1000))" > "$work/count.json" || fail "count failed"
grep -q "\"$samples\"" "$work/count.json" || fail "count_over_time: $(cat "$work/count.json"), want $samples"
echo "1. PromQL sum(rate(probe_metric[5m])) over 6 h: $points points; count_over_time = $samples, in $((SECONDS - t0)) s (peak RSS so far $(($(cat "$work/rss") / 1024)) MB)"

promql_peak_kb=$(cat "$work/rss")
check_rss=${MEMORY_BOUND_CHECK_RSS:-1}  # 0 in the sanitizer build: ASan's RSS is not ours
[ "$check_rss" = 0 ] || [ "$promql_peak_kb" -le "$bound_kb" ] ||
  fail "peak RSS during PromQL $((promql_peak_kb / 1024)) MB above the bound $((bound_kb / 1024)) MB"

t0=$SECONDS
got=$("$build/bin/gateway-probe" remote-read --url "$base/api/v1/read" --metric probe_metric \
  --start-ms "$start_ms" --end-ms "$end_ms") || fail "remote read failed"
[ "$got" = "series=$series samples=$samples" ] ||
  fail "remote read returned '$got', want series=$series samples=$samples"
echo "2. remote read (streamed chunks) of 6 h: $got in $((SECONDS - t0)) s (peak RSS so far $(($(cat "$work/rss") / 1024)) MB)"

touch "$work/stop"
wait "$SAMPLER" 2>/dev/null || true
SAMPLER=
peak_kb=$(cat "$work/rss")
fetched=$(metric_value "$base/metrics" 'strata_store_gateway_bucket_fetched_bytes_total{component="store_gateway"}')
echo "   gateway RSS: $((base_kb / 1024)) MB before the queries, peak $((peak_kb / 1024)) MB," \
  "bound $((bound_kb / 1024)) MB (+ $cache_mb MB cache + $slack_mb MB slack);" \
  "bucket $((bucket_bytes / 1048576)) MB, fetched ${fetched%.*} bytes"
kill -0 "$GW" || fail "gateway died"
[ "$check_rss" = 0 ] || [ "$peak_kb" -le "$bound_kb" ] ||
  fail "peak RSS during remote read $((peak_kb / 1024)) MB above the bound $((bound_kb / 1024)) MB"
stop_pid "$GW" 30
[ "$check_rss" = 0 ] && echo "   (RSS not checked: MEMORY_BOUND_CHECK_RSS=0, the sanitizer build)"
echo "PASS: store_gateway memory stays within its configured bound while serving a bigger bucket"
