#!/usr/bin/env bash
# The compactor over a real S3 bucket (Ceph radosgw on loopback), end to end (issue 16):
# promtool's eight aligned 2h blocks are uploaded to the bucket (SigV4 PUTs with curl,
# meta.json last), strata runs a compactor on it (delete_delay 0s). Checks that
#   1. the bucket ends with one level-2 block of the four oldest blocks and the four newest
#      2h blocks, the sources deleted, nothing partial;
#   2. the blocks downloaded from the bucket (strata-bucket download), read by `promtool tsdb
#      dump`, hold exactly the sources' samples: none missing, none extra, none twice.
# Exit 77 (skipped) without radosgw or promtool. Usage: compact_s3.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/harness.sh"
source "$here/../lib/radosgw.sh"
build=$(cd "$1" && pwd)
radosgw_installed || { echo "SKIP: radosgw not installed (tools/setup.sh installs it)"; exit 77; }
command -v promtool > /dev/null || { echo "SKIP: promtool not installed"; exit 77; }
work=$(mktemp -d /tmp/strata-compactor-s3.XXXXXX)
trap 'cleanup_started; rm -rf "$work"' EXIT
t0=$SECONDS
radosgw_start "$work/ceph"
echo "   radosgw up in $((SECONDS - t0)) s"
admin=$(free_port)
base="http://127.0.0.1:$admin"

# Eight 2h blocks, uploaded object by object, meta.json last.
start=1700006400
python3 "$here/gen_openmetrics.py" "$start" 16 "$work/in.om"
promtool tsdb create-blocks-from openmetrics "$work/in.om" "$work/sources" > /dev/null
mkdir -p "$work/sources/wal"
promtool tsdb dump "$work/sources" | sort > "$work/sources.dump"
put() {  # put LOCAL_FILE OBJECT_NAME
  local code sha
  sha=$(sha256sum "$1" | cut -d' ' -f1)
  code=$(curl -s -o "$work/put.out" -w '%{http_code}' -T "$1" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$STRATA_TEST_S3_ACCESS_KEY:$STRATA_TEST_S3_SECRET_KEY" \
    -H "x-amz-content-sha256: $sha" "http://$STRATA_TEST_S3_ENDPOINT/$STRATA_TEST_S3_BUCKET/$2")
  [ "$code" = 200 ] || fail "PUT $2: HTTP $code: $(cat "$work/put.out")"
}
n=0
for d in "$work"/sources/*/; do
  [ -f "$d/meta.json" ] || continue
  u=$(basename "$d")
  put "$d/index" "$u/index"
  for c in "$d"/chunks/*; do put "$c" "$u/chunks/$(basename "$c")"; done
  put "$d/meta.json" "$u/meta.json"
  n=$((n + 1))
done
[ "$n" = 8 ] || fail "promtool made $n blocks, want 8"

cat > "$work/compactor.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: "$work/data", log_level: info}
services:
  compactor:
    interval: 1h
    delete_delay: 0s
    read_buffer_bytes: 65536
    bucket:
      type: S3
      config:
        endpoint: "$STRATA_TEST_S3_ENDPOINT"
        bucket: "$STRATA_TEST_S3_BUCKET"
        insecure: true
        access_key: "$STRATA_TEST_S3_ACCESS_KEY"
        secret_key: "$STRATA_TEST_S3_SECRET_KEY"
YAML
cat > "$work/objstore.yml" <<YAML
type: S3
config: {endpoint: "$STRATA_TEST_S3_ENDPOINT", bucket: "$STRATA_TEST_S3_BUCKET", insecure: true,
         access_key: "$STRATA_TEST_S3_ACCESS_KEY", secret_key: "$STRATA_TEST_S3_SECRET_KEY"}
YAML
"$build/bin/pipeline-lint" "$work/compactor.yaml" > /dev/null || fail "compactor pipeline does not lint"
STRATA="$build/bin/strata"
start_strata "$work/compactor.yaml" "$work/compactor.log" "$admin"
count() { local v; v=$(metric_value "$base/metrics" "strata_compactor_$1{component=\"compactor\"}"); echo "${v%.*}"; }
done_run() { local t; t=$(count last_successful_run_timestamp_seconds); [ "$t" != absent ] && [ "$t" -gt 0 ]; }
wait_until 90 done_run || { tail -20 "$work/compactor.log"; fail "no successful run"; }
[ "$(count groups_compacted_total)" = 1 ] || fail "groups compacted: $(count groups_compacted_total)"
[ "$(count blocks_deleted_total)" = 4 ] || fail "blocks deleted: $(count blocks_deleted_total)"
stop_pid "$STRATA_PID" 30

# 1. What the bucket holds.
sb() { "$build/bin/strata-bucket" --objstore.config-file "$work/objstore.yml" "$@"; }
sb blocks > "$work/blocks.txt"
grep -q partial "$work/blocks.txt" && fail "partial blocks left: $(cat "$work/blocks.txt")"
[ "$(wc -l < "$work/blocks.txt")" = 5 ] || fail "bucket holds $(wc -l < "$work/blocks.txt") blocks, want 5"
[ "$(grep -c ' compactor$' "$work/blocks.txt")" = 1 ] || fail "want one block from the compactor: $(cat "$work/blocks.txt")"
if sb ls | grep -q deletion-mark.json; then fail "deletion marks left"; fi
echo "1. the S3 bucket holds one compacted block + four 2h blocks, sources deleted"

# 2. Downloaded and dumped: every source sample once.
mkdir -p "$work/result/wal"
while read -r u _; do sb download "$u" "$work/result" || fail "download $u"; done < "$work/blocks.txt"
promtool tsdb dump "$work/result" | sort > "$work/result.dump"
python3 "$here/compare_dumps.py" "$work/sources.dump" "$work/result.dump" ||
  fail "the compacted S3 bucket does not hold exactly the sources' samples"
echo "2. promtool tsdb dump of the downloaded blocks: every source sample exactly once"
echo "PASS: compactor (s3, radosgw): 8 promtool blocks -> one 8h + four 2h, dump identical"
