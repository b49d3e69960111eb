#!/usr/bin/env bash
# The bucket uploader against a real S3 server (Ceph radosgw on loopback: SigV4 and payload
# hashes verified), issue 15:
#   1. sealed blocks land in the bucket once; downloaded back they are byte-identical to the
#      local ones and promtool reads every acknowledged sample from them;
#   2. the S3 endpoint goes away while blocks are being sealed, the node is SIGKILLed while it
#      retries, then both come back: every block is in the bucket exactly once, none partial,
#      none lost, and the local copies of the shipped blocks stay until they are shipped;
#   3. wrong credentials stop the pipeline at start with the server's reason, never the secret.
# Exit 77 (skipped) without radosgw. Usage: upload_s3.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/harness.sh"
source "$here/../lib/radosgw.sh"
build=$(cd "$1" && pwd)
radosgw_installed || { echo "SKIP: radosgw not installed (tools/setup.sh installs it)"; exit 77; }
work=$(mktemp -d /tmp/strata-upload-s3.XXXXXX)
trap 'cleanup_started; rm -rf "$work"' EXIT
radosgw_start "$work/ceph"
admin=$(free_port); dbg=$(free_port)
while [ "$dbg" = "$admin" ]; do dbg=$(free_port); done
base="http://127.0.0.1:$admin"

pipeline() {  # $1: secret key
  cat <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: "$work/data", log_level: info}
receivers:
  remote_write: {listen_address: "127.0.0.1:$admin", ack: delivered}
storage:
  block_store: {block_duration: 2s, retention_time: 1s, debug_listen_address: "127.0.0.1:$dbg"}
exporters:
  bucket_uploader:
    bucket:
      type: S3
      config:
        endpoint: "$STRATA_TEST_S3_ENDPOINT"
        bucket: "$STRATA_TEST_S3_BUCKET"
        insecure: true
        access_key: "$STRATA_TEST_S3_ACCESS_KEY"
        secret_key: "$1"
        max_retries: 1
        connect_timeout: 2s
    retry_max_backoff: 1s
services:
  promql_api: {listen_address: "127.0.0.1:$admin", sources: [block_store]}
pipelines:
  metrics/in: {receivers: [remote_write], exporters: [block_store]}
  blocks/ship: {receivers: [block_store], exporters: [bucket_uploader]}
YAML
}
cat > "$work/objstore.yml" <<YAML
type: S3
config: {endpoint: "$STRATA_TEST_S3_ENDPOINT", bucket: "$STRATA_TEST_S3_BUCKET", insecure: true,
         access_key: "$STRATA_TEST_S3_ACCESS_KEY", secret_key: "$STRATA_TEST_S3_SECRET_KEY"}
YAML
pipeline "$STRATA_TEST_S3_SECRET_KEY" > "$work/pipeline.yaml"
"$build/bin/pipeline-lint" "$work/pipeline.yaml" > /dev/null || fail "pipeline does not lint"
STRATA="$build/bin/strata"
start_strata "$work/pipeline.yaml" "$work/strata.log" "$admin"

metric() { metric_value "$base/metrics" "$1"; }
send() {
  "$build/bin/conn-load" --write-url "$base/api/v1/write" --connections 4 --interval-ms 100 \
    --duration-s "$1" --ack-log "$2" > "$work/sender.json" 2> "$work/sender.err" ||
    { tail -5 "$work/sender.err"; fail "sender failed"; }
}
flush() { curl -fsS -X POST "http://127.0.0.1:$dbg/api/v1/strata/flush" > /dev/null; }
bucket_blocks() { "$build/bin/strata-bucket" --objstore.config-file "$work/objstore.yml" blocks; }
bucket_ulids() { bucket_blocks | awk '$2 != "partial" {print $1}' | sort; }
shipped_ever=()
uploaded_all() {
  [ "$(metric 'strata_bucket_uploader_queue_blocks{component="bucket_uploader"}')" = 0 ] || return 1
  local uploaded
  uploaded=$(metric 'strata_bucket_uploader_blocks_uploaded_total{component="bucket_uploader"}')
  [ "${uploaded%.*}" -ge "$1" ]
}
written() { metric 'strata_block_store_blocks_written_total{component="block_store"}'; }

# 1. Ship, download, compare, read with promtool.
send 5 "$work/acked1.txt"
flush
n=$(written); n=${n%.*}
wait_until 60 uploaded_all "$n" || fail "not all $n blocks uploaded"
mapfile -t ulids < <(bucket_ulids)
[ "${#ulids[@]}" = "$n" ] || fail "${#ulids[@]} blocks in the bucket, $n written"
mkdir -p "$work/down/wal"
for u in "${ulids[@]}"; do
  "$build/bin/strata-bucket" --objstore.config-file "$work/objstore.yml" download "$u" "$work/down" ||
    fail "download of $u failed"
done
promtool tsdb dump "$work/down" > "$work/dump.txt" 2> "$work/dump.err" ||
  { cat "$work/dump.err"; fail "promtool cannot read the downloaded blocks"; }
python3 "$here/compare_dump.py" "$work/acked1.txt" "$work/dump.txt" ||
  fail "acknowledged samples missing from the bucket's blocks"
echo "1. $n blocks shipped to radosgw and read back by promtool"

# 2. The endpoint goes away; blocks are sealed meanwhile; SIGKILL; both come back.
radosgw_stop_rgw
send 4 "$work/acked2.txt"
flush
sleep 4
failures=$(metric 'strata_bucket_uploader_upload_failures_total{component="bucket_uploader"}')
[ "${failures%.*}" -gt 0 ] || fail "no failed upload counted while radosgw was down"
pending=$(metric 'strata_bucket_uploader_queue_blocks{component="bucket_uploader"}')
[ "${pending%.*}" -gt 0 ] || fail "no block pending while radosgw was down"
local_before=$(find "$work/data" -name meta.json -path '*block_store*' | wc -l)
kill -KILL "$STRATA_PID"; wait "$STRATA_PID" 2>/dev/null || true
radosgw_start_rgw
start_strata "$work/pipeline.yaml" "$work/strata.log" "$admin"
wait_until 60 bash -c "[ \"\$(curl -fsS '$base/metrics' | awk '\$1 ~ /^strata_bucket_uploader_queue_blocks/ {print \$2}')\" = 0 ]" ||
  fail "the pending blocks were not shipped after radosgw came back"
total=$(bucket_ulids | wc -l)
partial=$(bucket_blocks | awk '$2 == "partial"' | wc -l)
dups=$(bucket_ulids | uniq -d | wc -l)
[ "$partial" = 0 ] || fail "$partial partial blocks in the bucket"
[ "$dups" = 0 ] || fail "duplicate blocks"
[ "$total" -ge $((n + ${pending%.*})) ] || fail "$total blocks in the bucket, expected at least $((n + ${pending%.*}))"
lost=$(metric 'strata_bucket_uploader_blocks_lost_total{component="bucket_uploader"}')
[ "${lost%.*}" = 0 ] || fail "$lost blocks lost"
echo "2. radosgw down for ${pending%.*} blocks ($local_before local blocks kept), SIGKILL, back: $total blocks, each once, 0 partial, 0 lost"
stop_pid "$STRATA_PID" 30

# 3. Wrong credentials: the pipeline does not start, and says why without the secret.
pipeline "wrong-secret-do-not-print" > "$work/bad.yaml"
set +e
timeout 60 "$STRATA" run -c "$work/bad.yaml" > "$work/bad.log" 2>&1
rc=$?
set -e
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "strata with a wrong secret: exit $rc (wanted a refusal at start)"
grep -q "SignatureDoesNotMatch\|403" "$work/bad.log" || { tail -5 "$work/bad.log"; fail "no server reason in the error"; }
! grep -q "wrong-secret-do-not-print" "$work/bad.log" || fail "the secret was printed"
echo "3. wrong credentials refused at start: $(grep -o '403[^"]*' "$work/bad.log" | head -1)"
echo "PASS: bucket_uploader against radosgw"
