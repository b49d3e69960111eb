#!/usr/bin/env bash
# The bucket uploader with the filesystem bucket, end to end (issue 15): remote write -> block
# store -> sealed blocks -> bucket_uploader. Checks that
#   1. every sealed block lands in the bucket once, in the Thanos layout, byte for byte, and
#      promtool reads the bucket's blocks with every acknowledged sample in them;
#   2. SIGKILL right after sealing (uploads in flight), then a restart: afterwards every local
#      block is in the bucket exactly once and the uploader's queue is empty;
#   3. with the bucket unusable, retention does not delete unshipped blocks; a reload that fixes
#      the bucket (and rebuilds the uploader) ships them, and only then may they go.
# Usage: upload_fs.sh BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/../lib/harness.sh"
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'chattr -i "$work/bucket" 2>/dev/null || true; cleanup_started' EXIT
admin=$(free_port); dbg=$(free_port)
while [ "$dbg" = "$admin" ]; do dbg=$(free_port); done
base="http://127.0.0.1:$admin"

pipeline() {  # $1: bucket directory, $2: retention_time
  cat <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: "$work/data", log_level: info}
receivers:
  remote_write: {listen_address: "127.0.0.1:$admin", ack: delivered}
storage:
  block_store:
    block_duration: 2s
    retention_time: $2
    debug_listen_address: "127.0.0.1:$dbg"
exporters:
  bucket_uploader:
    bucket: {type: filesystem, config: {directory: "$1"}}
    retry_max_backoff: 1s
services:
  promql_api: {listen_address: "127.0.0.1:$admin", sources: [block_store]}
pipelines:
  metrics/in: {receivers: [remote_write], exporters: [block_store]}
  blocks/ship: {receivers: [block_store], exporters: [bucket_uploader]}
YAML
}
pipeline "$work/bucket" 15d > "$work/pipeline.yaml"
"$build/bin/pipeline-lint" "$work/pipeline.yaml" > /dev/null || fail "pipeline does not lint"
STRATA="$build/bin/strata"
start_strata "$work/pipeline.yaml" "$work/strata.log" "$admin"

metric() { metric_value "$base/metrics" "$1"; }
send() {  # $1: seconds, $2: ack log. Wall-clock timestamps, so 2 s blocks fill up.
  "$build/bin/conn-load" --write-url "$base/api/v1/write" --connections 4 --interval-ms 100 \
    --duration-s "$1" --ack-log "$2" > "$work/sender.json" 2> "$work/sender.err" ||
    { tail -5 "$work/sender.err"; fail "sender failed"; }
}
flush() { curl -fsS -X POST "http://127.0.0.1:$dbg/api/v1/strata/flush"; echo; }
local_blocks() { find "$work/data" -name meta.json -path '*block_store*' -printf '%h\n' | sort; }
bucket_ulids() { find "$work/bucket" -mindepth 2 -maxdepth 2 -name meta.json -printf '%h\n' |
  xargs -rn1 basename | sort; }
uploaded_all() {
  [ "$(metric 'strata_bucket_uploader_queue_blocks{component="bucket_uploader"}')" = 0 ] &&
    [ "$(local_blocks | xargs -rn1 basename | sort)" = "$(bucket_ulids)" ]
}

# 1. Blocks land in the bucket, identical, readable by promtool.
send 4 "$work/acked1.txt"
flush
wait_until 30 uploaded_all || fail "blocks not all uploaded: local $(local_blocks | wc -l), bucket $(bucket_ulids | wc -l)"
n=$(bucket_ulids | wc -l)
[ "$n" -ge 2 ] || fail "only $n blocks (wanted several 2 s blocks)"
for dir in $(local_blocks); do
  ulid=$(basename "$dir")
  (cd "$dir" && find . -type f | sort) > "$work/local.files"
  (cd "$work/bucket/$ulid" && find . -type f | sort) > "$work/bucket.files"
  diff -q "$work/local.files" "$work/bucket.files" > /dev/null || fail "block $ulid: files differ"
  while read -r f; do cmp -s "$dir/$f" "$work/bucket/$ulid/$f" || fail "block $ulid: $f differs"; done < "$work/local.files"
done
echo "1. $n blocks shipped, identical to the local ones"
mkdir -p "$work/promtool/wal" && cp -r "$work/bucket"/* "$work/promtool/"
promtool tsdb dump "$work/promtool" > "$work/dump.txt" 2> "$work/dump.err" || { cat "$work/dump.err"; fail "promtool cannot read the bucket's blocks"; }
python3 "$(dirname "$0")/compare_dump.py" "$work/acked1.txt" "$work/dump.txt" ||
  fail "acknowledged samples missing from the bucket"

# 2. SIGKILL with uploads in flight, then a restart: every block exactly once.
send 3 "$work/acked2.txt"
flush
kill -KILL "$STRATA_PID"; wait "$STRATA_PID" 2>/dev/null || true
start_strata "$work/pipeline.yaml" "$work/strata.log" "$admin"
wait_until 30 uploaded_all || fail "after the restart, blocks not all uploaded"
dups=$(find "$work/bucket" -mindepth 1 -maxdepth 1 -type d | xargs -rn1 basename | sort | uniq -d | wc -l)
[ "$dups" = 0 ] || fail "duplicate blocks in the bucket"
partial=$(for d in "$work/bucket"/*/; do [ -f "$d/meta.json" ] || echo "$d"; done | wc -l)
[ "$partial" = 0 ] || fail "$partial block directories without meta.json left in the bucket"
echo "2. after SIGKILL + restart: $(bucket_ulids | wc -l) blocks, each once, no partial block"

# 3. A bucket that fails every upload (its root made immutable: no new object) holds unshipped blocks
#    on disk against retention (1 s), also through a reload that rebuilds the uploader (its
#    holds pass to the successor); once the bucket works again they are shipped, none lost.
pipeline "$work/bucket" 1s > "$work/pipeline.yaml"
curl -fsS -o /dev/null -X POST "$base/-/reload" || fail "reload (retention 1s) failed"
before=$(bucket_ulids | wc -l)
chattr +i "$work/bucket" || { echo "SKIP 3: chattr +i unsupported here"; stop_pid "$STRATA_PID" 30; exit 0; }
send 5 "$work/acked3.txt"
flush
sleep 3  # retention (1 s) has long passed for the older new blocks
unshipped() { local_blocks | xargs -rn1 basename | sort | comm -23 - <(bucket_ulids); }
held=$(unshipped | wc -l)
deleted=$(metric 'strata_block_store_blocks_deleted_total{component="block_store"}')
echo "   bucket failing: $held unshipped blocks kept on disk; retention dropped $deleted blocks meanwhile"
[ "$held" -ge 2 ] || fail "only $held unshipped blocks kept on disk"
[ "${deleted%.*}" -gt 0 ] || fail "retention dropped nothing: the hold was not tested"
failures=$(metric 'strata_bucket_uploader_upload_failures_total{component="bucket_uploader"}')
[ "${failures%.*}" -gt 0 ] || fail "no upload failure counted while the bucket was failing"
sed -i 's/retry_max_backoff: 1s/retry_max_backoff: 2s/' "$work/pipeline.yaml"
code=$(curl -s -o "$work/reload.txt" -w '%{http_code}' -X POST "$base/-/reload")
[ "$code" = 200 ] || fail "reload (uploader rebuilt) answered $code: $(cat "$work/reload.txt")"
sleep 2
[ "$(unshipped | wc -l)" -ge "$held" ] || fail "unshipped blocks deleted after the uploader was rebuilt"
chattr -i "$work/bucket"
wait_until 30 bash -c "[ \$(find '$work/bucket' -mindepth 2 -maxdepth 2 -name meta.json | wc -l) -ge $((before + held)) ]" ||
  fail "the held blocks were not shipped after the bucket came back"
lost=$(metric 'strata_bucket_uploader_blocks_lost_total{component="bucket_uploader"}')
[ "${lost%.*}" = 0 ] || fail "$lost blocks lost"
echo "3. $held unshipped blocks kept through retention and an uploader rebuild, then shipped; 0 lost"
stop_pid "$STRATA_PID" 30
echo "PASS: bucket_uploader (filesystem): shipped once, identical, through SIGKILL and a broken bucket"
rm -rf "$work"
