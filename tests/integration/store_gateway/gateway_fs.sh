#!/usr/bin/env bash
# The store gateway with the filesystem bucket, end to end (issue 15): a strata node
# (remote write -> block_store -> bucket_uploader) seals blocks into a bucket directory; a
# second strata process runs pipelines/store-gateway.yaml on the same directory; the receiver
# also queries a store_gateway on that directory beside its block_store (the same samples in
# both sources). Checks that
#   1. on both nodes /api/v1/query of a range selector returns exactly the acknowledged samples
#      (conn-load --ack-log; a multiset: none missing, none extra, none twice),
#      /api/v1/query_range exactly the expected point at each step and /api/v1/series exactly
#      the acknowledged series (compare_exact.py);
#   2. a partial block (no meta.json) and a block with a corrupt meta.json dropped into the
#      bucket are ignored / skipped and counted, and the gateway keeps serving the rest.
# Usage: gateway_fs.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/harness.sh"
build=$(cd "$1" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'cleanup_started' EXIT
admin=$(free_port); dbg=$(free_port); gw=$(free_port)
while [ "$dbg" = "$admin" ]; do dbg=$(free_port); done
while [ "$gw" = "$admin" ] || [ "$gw" = "$dbg" ]; do gw=$(free_port); done
base="http://127.0.0.1:$admin"
gbase="http://127.0.0.1:$gw"

cat > "$work/receiver.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: "$work/data", log_level: info}
receivers:
  remote_write: {listen_address: "127.0.0.1:$admin", ack: delivered}
storage:
  block_store:
    block_duration: 2s
    debug_listen_address: "127.0.0.1:$dbg"
  store_gateway:
    bucket: {type: filesystem, config: {directory: "$work/bucket"}}
    sync_interval: 1s
exporters:
  bucket_uploader:
    bucket: {type: filesystem, config: {directory: "$work/bucket"}}
    retry_max_backoff: 1s
services:
  promql_api: {listen_address: "127.0.0.1:$admin", sources: [block_store, store_gateway]}
pipelines:
  metrics/in: {receivers: [remote_write], exporters: [block_store]}
  blocks/ship: {receivers: [block_store], exporters: [bucket_uploader]}
YAML
"$build/bin/pipeline-lint" "$work/receiver.yaml" > /dev/null || fail "receiver pipeline does not lint"
"$build/bin/pipeline-lint" "$root/pipelines/store-gateway.yaml" > /dev/null ||
  fail "pipelines/store-gateway.yaml does not lint"
STRATA="$build/bin/strata"
start_strata "$work/receiver.yaml" "$work/receiver.log" "$admin"
RECEIVER_PID=$STRATA_PID

metric() { metric_value "$1/metrics" "$2"; }
local_blocks() { find "$work/data" -name meta.json -path '*block_store*' -printf '%h\n' | xargs -rn1 basename | sort; }
bucket_ulids() { find "$work/bucket" -mindepth 2 -maxdepth 2 -name meta.json -printf '%h\n' | xargs -rn1 basename | sort; }
uploaded_all() {
  [ "$(metric "$base" 'strata_bucket_uploader_queue_blocks{component="bucket_uploader"}')" = 0 ] &&
    [ -n "$(local_blocks)" ] && [ "$(local_blocks)" = "$(bucket_ulids)" ]
}

# Wall-clock timestamps, so 2 s blocks fill up; then seal the whole head and wait for uploads.
"$build/bin/conn-load" --write-url "$base/api/v1/write" --connections 4 --interval-ms 100 \
  --duration-s 4 --ack-log "$work/acked.txt" > "$work/sender.json" 2> "$work/sender.err" ||
  { tail -5 "$work/sender.err"; fail "sender failed"; }
curl -fsS -X POST "http://127.0.0.1:$dbg/api/v1/strata/flush" > /dev/null
wait_until 30 uploaded_all || fail "blocks not all uploaded"
n=$(bucket_ulids | wc -l)
echo "   $n blocks in the bucket, $(wc -l < "$work/acked.txt") samples acknowledged"

# Bad content beside the good blocks: a partial block and a corrupt meta.json.
partial=01HZZZZZZZZZZZZZZZZZZZZZZZ; corrupt=01HYYYYYYYYYYYYYYYYYYYYYYY
first=$(bucket_ulids | head -1)
mkdir -p "$work/bucket/$partial" "$work/bucket/$corrupt"
cp "$work/bucket/$first/index" "$work/bucket/$partial/index"
cp -r "$work/bucket/$first/chunks" "$work/bucket/$corrupt/"
cp "$work/bucket/$first/index" "$work/bucket/$corrupt/index"
echo '{"ulid": "01HYY' > "$work/bucket/$corrupt/meta.json"

# The gateway: the repository's pipeline, on its own port and data dir.
STRATA_LISTEN_ADDRESS="127.0.0.1:$gw" STRATA_DATA_DIR="$work/gw-data" \
  STRATA_BUCKET_DIR="$work/bucket" STRATA_SYNC_INTERVAL=1s \
  start_strata "$root/pipelines/store-gateway.yaml" "$work/gateway.log" "$gw"
GATEWAY_PID=$STRATA_PID
loaded() { [ "$(metric "$gbase" 'strata_store_gateway_blocks_loaded{component="store_gateway"}')" = "$n" ]; }
wait_until 20 loaded || { tail -20 "$work/gateway.log"; fail "gateway did not load $n blocks"; }

# 1. Both nodes, three APIs, exact answers. The receiver's store_gateway loads the good blocks.
wait_until 20 bash -c "[ \"\$(curl -fsS '$base/metrics' | awk '\$1 ~ /^strata_store_gateway_blocks_loaded/ {print \$2}')\" = $n ]" ||
  fail "the receiver's store_gateway did not load $n blocks"
read -r first_ms last_ms < <(awk '{print $NF}' "$work/acked.txt" | sort -n | sed -n '1p;$p' | paste -sd' ')
start=$(python3 -c "print(f'{($first_ms - 1000) / 1000:.3f}')")
end=$(python3 -c "print(f'{($last_ms + 1000) / 1000:.3f}')")
at=$(python3 -c "print(f'{($last_ms + 2000) / 1000:.3f}')")
step=0.25
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
done
echo "1. receiver [block_store, store_gateway] and gateway: query, query_range and series exact ($n blocks)"

# 2. Bad content skipped and counted, never served.
skipped=$(metric "$gbase" 'strata_store_gateway_blocks_skipped_total{component="store_gateway",reason="meta_json"}')
[ "${skipped%.*}" = 1 ] || fail "corrupt meta.json counted $skipped times (want 1)"
grep -q "$corrupt" "$work/gateway.log" || fail "the skipped block is not logged"
kill -0 "$GATEWAY_PID" || fail "gateway died"
echo "2. partial block ignored, corrupt meta.json skipped (counted once, logged)"

# 3. On demand: a gateway syncing only every hour loads new blocks when told to.
ondemand=$(free_port)
while [ "$ondemand" = "$admin" ] || [ "$ondemand" = "$dbg" ] || [ "$ondemand" = "$gw" ]; do
  ondemand=$(free_port)
done
mkdir -p "$work/bucket2"
cat > "$work/ondemand.yaml" <<YAML
server: {listen_address: "127.0.0.1:$ondemand", data_dir: "$work/od-data", log_level: info}
storage:
  store_gateway:
    bucket: {type: filesystem, config: {directory: "$work/bucket2"}}
    sync_interval: 1h
    admin_listen_address: "127.0.0.1:$ondemand"
services:
  promql_api: {listen_address: "127.0.0.1:$ondemand", sources: [store_gateway]}
YAML
start_strata "$work/ondemand.yaml" "$work/ondemand.log" "$ondemand"
obase="http://127.0.0.1:$ondemand"
for ulid in $(bucket_ulids); do cp -r "$work/bucket/$ulid" "$work/bucket2/"; done
[ "$(metric "$obase" 'strata_store_gateway_blocks_loaded{component="store_gateway"}')" = 0 ] ||
  fail "the hourly gateway loaded blocks before it was told to sync"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$obase/api/v1/strata/store_gateway/sync")" = 405 ] ||
  fail "GET of the sync route is not 405"
got=$(curl -fsS -X POST "$obase/api/v1/strata/store_gateway/sync") || fail "sync route failed"
[ "$got" = "{\"blocks_loaded\":$n}" ] || fail "sync answered '$got', want $n blocks"
curl -fsS "$obase/api/v1/query" --data-urlencode 'query=conn_load_samples[10m]' \
  --data-urlencode "time=$at" > "$work/od-raw.json" || fail "on-demand gateway: query failed"
python3 "$here/compare_exact.py" matrix "$work/acked.txt" "$work/od-raw.json" ||
  fail "on-demand gateway: /api/v1/query does not return exactly the acknowledged samples"
stop_pid "$STRATA_PID" 30
echo "3. POST /api/v1/strata/store_gateway/sync loads new blocks at once ($got)"

stop_pid "$GATEWAY_PID" 30
stop_pid "$RECEIVER_PID" 30
echo "PASS: store_gateway (filesystem): serves exactly the acknowledged samples from the bucket"
rm -rf "$work"
