#!/usr/bin/env bash
# The store gateway over a real S3 bucket (Ceph radosgw on loopback), end to end (issue 15):
# a receiver (remote write -> block_store, 2 s blocks, 1 s retention -> bucket_uploader to S3)
# takes acknowledged samples (conn-load --ack-log). The same receiver also queries a
# store_gateway on the same bucket beside its block_store (sources [block_store,
# store_gateway]); a second strata serves only the bucket (store_gateway) on another port.
# Checks that
#   1. every block is shipped once and the receiver deletes its local copies of the old ones
#      (so the receiver's answer must come partly from S3);
#   2. on both nodes /api/v1/query of a range selector returns exactly the acknowledged samples
#      (multiset: none missing, none extra, none twice although block_store and bucket
#      overlap), /api/v1/query_range returns exactly the expected point at every step, and
#      /api/v1/series exactly the acknowledged series;
#   3. the blocks downloaded from the bucket, read by `promtool tsdb dump`, hold exactly the
#      acknowledged samples (none twice across blocks).
# Exit 77 (skipped) without radosgw or promtool. Usage: gateway_s3.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/harness.sh"
source "$here/../lib/radosgw.sh"
build=$(cd "$1" && pwd)
radosgw_installed || { echo "SKIP: radosgw not installed (tools/setup.sh installs it)"; exit 77; }
command -v promtool > /dev/null || { echo "SKIP: promtool not installed"; exit 77; }
work=$(mktemp -d /tmp/strata-gateway-s3.XXXXXX)
trap 'cleanup_started; rm -rf "$work"' EXIT
t0=$SECONDS
radosgw_start "$work/ceph"
echo "   radosgw up in $((SECONDS - t0)) s"
admin=$(free_port); dbg=$(free_port); gw=$(free_port)
while [ "$dbg" = "$admin" ]; do dbg=$(free_port); done
while [ "$gw" = "$admin" ] || [ "$gw" = "$dbg" ]; do gw=$(free_port); done
base="http://127.0.0.1:$admin"
gbase="http://127.0.0.1:$gw"

s3_bucket() {
  cat <<YAML
      type: S3
      config:
        endpoint: "$STRATA_TEST_S3_ENDPOINT"
        bucket: "$STRATA_TEST_S3_BUCKET"
        insecure: true
        access_key: "$STRATA_TEST_S3_ACCESS_KEY"
        secret_key: "$STRATA_TEST_S3_SECRET_KEY"
YAML
}
cat > "$work/receiver.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: "$work/data", log_level: info}
receivers:
  remote_write: {listen_address: "127.0.0.1:$admin", ack: delivered}
storage:
  block_store: {block_duration: 2s, retention_time: 1s, debug_listen_address: "127.0.0.1:$dbg"}
  store_gateway:
    sync_interval: 1s
    bucket:
$(s3_bucket)
exporters:
  bucket_uploader:
    retry_max_backoff: 1s
    bucket:
$(s3_bucket)
services:
  promql_api: {listen_address: "127.0.0.1:$admin", sources: [block_store, store_gateway]}
pipelines:
  metrics/in: {receivers: [remote_write], exporters: [block_store]}
  blocks/ship: {receivers: [block_store], exporters: [bucket_uploader]}
YAML
cat > "$work/gateway.yaml" <<YAML
server: {listen_address: "127.0.0.1:$gw", data_dir: "$work/gw-data", log_level: info}
storage:
  store_gateway:
    sync_interval: 1s
    bucket:
$(s3_bucket)
services:
  promql_api: {listen_address: "127.0.0.1:$gw", sources: [store_gateway]}
YAML
cat > "$work/objstore.yml" <<YAML
type: S3
config: {endpoint: "$STRATA_TEST_S3_ENDPOINT", bucket: "$STRATA_TEST_S3_BUCKET", insecure: true,
         access_key: "$STRATA_TEST_S3_ACCESS_KEY", secret_key: "$STRATA_TEST_S3_SECRET_KEY"}
YAML
for f in receiver gateway; do
  "$build/bin/pipeline-lint" "$work/$f.yaml" > /dev/null || fail "$f pipeline does not lint"
done
STRATA="$build/bin/strata"
start_strata "$work/receiver.yaml" "$work/receiver.log" "$admin"
RECEIVER_PID=$STRATA_PID
start_strata "$work/gateway.yaml" "$work/gateway.log" "$gw"
GATEWAY_PID=$STRATA_PID

metric() { metric_value "$1/metrics" "$2"; }
num() { local v; v=$(metric "$1" "$2"); echo "${v%.*}"; }
bucket_blocks() { "$build/bin/strata-bucket" --objstore.config-file "$work/objstore.yml" blocks; }
bucket_ulids() { bucket_blocks | awk '$2 != "partial" {print $1}' | sort; }
local_blocks() { find "$work/data" -name meta.json -path '*block_store*' | wc -l; }
uploaded_all() {
  [ "$(num "$base" 'strata_bucket_uploader_queue_blocks{component="bucket_uploader"}')" = 0 ] &&
    [ "$(num "$base" 'strata_bucket_uploader_blocks_uploaded_total{component="bucket_uploader"}')" -ge "$1" ]
}

# Wall-clock samples over 4 s (2 s blocks), then seal the whole head and ship it.
"$build/bin/conn-load" --write-url "$base/api/v1/write" --connections 4 --interval-ms 100 \
  --duration-s 4 --ack-log "$work/acked.txt" > "$work/sender.json" 2> "$work/sender.err" ||
  { tail -5 "$work/sender.err"; fail "sender failed"; }
curl -fsS -X POST "http://127.0.0.1:$dbg/api/v1/strata/flush" > /dev/null
n=$(num "$base" 'strata_block_store_blocks_written_total{component="block_store"}')
[ "$n" -ge 2 ] || fail "only $n blocks written (want several 2 s blocks)"
wait_until 60 uploaded_all "$n" || fail "not all $n blocks uploaded"
mapfile -t ulids < <(bucket_ulids)
[ "${#ulids[@]}" = "$n" ] || fail "${#ulids[@]} blocks in the bucket, $n written"
partial=$(bucket_blocks | awk '$2 == "partial"' | wc -l)
[ "$partial" = 0 ] || fail "$partial partial blocks in the bucket"
# 1 s retention: the shipped blocks but the newest leave the receiver's disk.
wait_until 20 bash -c "[ \$(find '$work/data' -name meta.json -path '*block_store*' | wc -l) -lt $n ]" ||
  fail "the receiver kept all $n blocks locally (retention did not delete any shipped block)"
kept=$(local_blocks)
echo "1. $n blocks shipped to radosgw, each once; $kept left on the receiver's disk"

loaded() { [ "$(num "$1" 'strata_store_gateway_blocks_loaded{component="store_gateway"}')" = "$n" ]; }
wait_until 30 loaded "$gbase" || { tail -20 "$work/gateway.log"; fail "gateway did not load $n blocks"; }
wait_until 30 loaded "$base" || { tail -20 "$work/receiver.log"; fail "receiver's store_gateway did not load $n blocks"; }

# 2. Both nodes, three APIs, exact answers.
read -r first_ms last_ms < <(awk '{print $NF}' "$work/acked.txt" | sort -n | sed -n '1p;$p' | paste -sd' ')
start=$(python3 -c "print(f'{($first_ms - 1000) / 1000:.3f}')")
end=$(python3 -c "print(f'{($last_ms + 1000) / 1000:.3f}')")
step=0.25
at=$(python3 -c "print(f'{($last_ms + 2000) / 1000:.3f}')")
for node in "receiver $base" "gateway $gbase"; do
  set -- $node
  curl -fsS "$2/api/v1/query" --data-urlencode 'query=conn_load_samples[10m]' \
    --data-urlencode "time=$at" > "$work/$1-raw.json" || fail "$1: query failed"
  python3 "$here/compare_exact.py" matrix "$work/acked.txt" "$work/$1-raw.json" ||
    fail "$1: /api/v1/query does not return exactly the acknowledged samples"
  curl -fsS "$2/api/v1/query_range" --data-urlencode 'query=conn_load_samples' \
    --data-urlencode "start=$start" --data-urlencode "end=$end" --data-urlencode "step=$step" \
    > "$work/$1-range.json" || fail "$1: query_range failed"
  python3 "$here/compare_exact.py" range "$work/acked.txt" "$work/$1-range.json" "$step" "$start" "$end" ||
    fail "$1: /api/v1/query_range differs from the acknowledged samples"
  curl -fsS "$2/api/v1/series" --data-urlencode 'match[]=conn_load_samples' \
    --data-urlencode "start=$start" --data-urlencode "end=$end" > "$work/$1-series.json" ||
    fail "$1: series failed"
  python3 "$here/compare_exact.py" series "$work/acked.txt" "$work/$1-series.json" ||
    fail "$1: /api/v1/series differs from the acknowledged series"
  echo "2. $1: query, query_range and series answer exactly the acknowledged samples"
done

# 3. promtool over the blocks downloaded from the bucket.
mkdir -p "$work/down/wal"
for u in "${ulids[@]}"; do
  "$build/bin/strata-bucket" --objstore.config-file "$work/objstore.yml" download "$u" "$work/down" ||
    fail "download of $u failed"
done
promtool tsdb dump "$work/down" > "$work/dump.txt" 2> "$work/dump.err" ||
  { cat "$work/dump.err"; fail "promtool cannot read the downloaded blocks"; }
python3 "$here/compare_exact.py" dump "$work/acked.txt" "$work/dump.txt" ||
  fail "the bucket's blocks do not hold exactly the acknowledged samples"
echo "3. promtool reads exactly the acknowledged samples from the $n downloaded blocks"

kill -0 "$GATEWAY_PID" || fail "gateway died"
stop_pid "$GATEWAY_PID" 30
stop_pid "$RECEIVER_PID" 30
radosgw_stop
echo "PASS: store_gateway (s3): both nodes serve exactly the acknowledged samples from radosgw ($((SECONDS - t0)) s)"
