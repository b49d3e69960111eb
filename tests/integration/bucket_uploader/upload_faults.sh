#!/usr/bin/env bash
# The bucket uploader against a real S3 server (Ceph radosgw) through a fault-injecting proxy
# (../lib/fault_proxy.py), issue 15. Blocks: two of ~7 MiB of chunks (multipart with the
# smallest part size S3 allows, 5 MiB) and ten small ones (single PUTs), from strata-avalanche
# with known timestamps. Meanwhile a store gateway on the bucket (direct to radosgw) is polled
# by fault_checker.py. In order:
#   A. the second part of the first multipart upload is held back by the proxy; the node is
#      SIGKILLed after the first part was stored, so before the upload was completed;
#   B. restarted, it uploads through 503 SlowDown on initiates, 500s on PUTs, connections reset
#      right after the request head and half-way through part bodies, and a completion whose
#      reply is cut (radosgw completed it; the client must not take it for a failure that
#      needs a new upload of the object... or, if it does, still store it once);
#   C. radosgw itself is stopped for a while during uploads, then started again.
# Then it checks: every injected fault kind happened (proxy log); every block sealed locally is
# in the bucket exactly once (complete: meta.json, index, chunks from 000001 without gaps),
# none partial; the checker
# never saw the gateway serve a block partially or twice, no gateway query or bucket listing
# failed outside the outage, no local block was deleted before it was in the bucket; the
# uploader counted failures and retries, no block lost, uploaded == blocks; the gateway skipped
# no block; every sample of the data set is served.
# Exit 77 (skipped) without radosgw. Usage: upload_faults.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/harness.sh"
source "$here/../lib/radosgw.sh"
build=$(cd "$1" && pwd)
radosgw_installed || { echo "SKIP: radosgw not installed (tools/setup.sh installs it)"; exit 77; }
work=$(mktemp -d /tmp/strata-upload-faults.XXXXXX)
trap 'cleanup_started; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
t0=$SECONDS
radosgw_start "$work/ceph"
echo "   radosgw up in $((SECONDS - t0)) s"
admin=$(free_port); dbg=$(free_port); gw=$(free_port); proxy=$(free_port)
while [ "$dbg" = "$admin" ]; do dbg=$(free_port); done
while [ "$gw" = "$admin" ] || [ "$gw" = "$dbg" ]; do gw=$(free_port); done
while [ "$proxy" = "$admin" ] || [ "$proxy" = "$dbg" ] || [ "$proxy" = "$gw" ]; do proxy=$(free_port); done
base="http://127.0.0.1:$admin"
gbase="http://127.0.0.1:$gw"

# The proxy: rules re-read when the file changes.
: > "$work/rules"
python3 "$here/../lib/fault_proxy.py" --listen "127.0.0.1:$proxy" \
  --upstream "$STRATA_TEST_S3_ENDPOINT" --rules "$work/rules" --log "$work/proxy.jsonl" \
  2> "$work/proxy.err" &
STARTED_PIDS+=($!)
wait_until 10 bash -c "(exec 3<>/dev/tcp/127.0.0.1/$proxy) 2>/dev/null" || fail "proxy did not start"

s3_bucket() {  # $1: endpoint
  cat <<YAML
      type: S3
      config:
        endpoint: "$1"
        bucket: "$STRATA_TEST_S3_BUCKET"
        insecure: true
        access_key: "$STRATA_TEST_S3_ACCESS_KEY"
        secret_key: "$STRATA_TEST_S3_SECRET_KEY"
        max_retries: 1
        retry_max_backoff: 200ms
        connect_timeout: 2s
        part_size: 5MiB
        part_concurrency: 2
YAML
}
cat > "$work/receiver.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: "$work/data", log_level: info}
receivers:
  remote_write: {listen_address: "127.0.0.1:$admin", ack: delivered}
storage:
  block_store: {block_duration: 1m, retention_time: 1s, debug_listen_address: "127.0.0.1:$dbg"}
exporters:
  bucket_uploader:
    retry_max_backoff: 1s
    bucket:
$(s3_bucket "127.0.0.1:$proxy")
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
$(s3_bucket "$STRATA_TEST_S3_ENDPOINT")
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
metric() { metric_value "$base/metrics" "$1"; }
num() { local v; v=$(metric "$1"); echo "${v%.*}"; }
up_metric() { num "strata_bucket_uploader_$1{component=\"bucket_uploader\"}"; }
proxy_count() { python3 - "$work/proxy.jsonl" "$@" <<'PY'
import json, re, sys
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["action"] == sys.argv[2] and re.search(sys.argv[3], e["request"]) and \
            (len(sys.argv) < 5 or str(e.get("status")) == sys.argv[4]):
        n += 1
print(n)
PY
}

# The data set: 3000 series (10 families, series_id="1" in each), minute-aligned, an hour ago:
# phase 1 every 100 ms for 2 min (two 1 min blocks of ~7 MiB chunks), phase 2 every 10 s for
# 10 min (ten small blocks).
p1=$(( ($(date +%s) - 3600) / 60 * 60 * 1000 )); p2=$((p1 + 120000))
phases=("$p1:100:1200" "$p2:10000:60")
start_strata "$work/receiver.yaml" "$work/receiver.log" "$admin"
RECEIVER_PID=$STRATA_PID
start_strata "$work/gateway.yaml" "$work/gateway.log" "$gw"
GATEWAY_PID=$STRATA_PID
checker_args=(--gateway "$gbase" --strata-bucket "$build/bin/strata-bucket"
  --objstore "$work/objstore.yml" --local-dir "$work/data" --outage-file "$work/outage"
  --stop-file "$work/stop" --out "$work/checker.json" --matcher '{series_id="1"}' --series 10)
for p in "${phases[@]}"; do checker_args+=(--phase "$p"); done
python3 "$here/fault_checker.py" "${checker_args[@]}" 2> "$work/checker.err" &
CHECKER_PID=$!
STARTED_PIDS+=($CHECKER_PID)

# A. The second part of a multipart upload is held back; SIGKILL once the first is stored.
echo 'delay=10 match=^PUT\s.*partNumber=2&' > "$work/rules"
avalanche() {  # START_MS INTERVAL_MS SAMPLES
  "$build/bin/strata-avalanche" remote-write --url="$base/api/v1/write" --series=3000 \
    --metrics=10 --histogram-ratio=0 --start-ms="$1" --interval="$2" --samples="$3" \
    --connections=2 >> "$work/avalanche.log" 2>&1 || { tail -5 "$work/avalanche.log"; fail "avalanche failed"; }
}
ts=$SECONDS
avalanche "$p1" 100 1200
avalanche "$p2" 10000 60
curl -fsS -X POST "http://127.0.0.1:$dbg/api/v1/strata/flush" > /dev/null
blocks=$(num 'strata_block_store_blocks_written_total{component="block_store"}')
echo "   $blocks blocks sealed in $((SECONDS - ts)) s"
[ "$blocks" = 12 ] || fail "$blocks blocks written, want 12 (2 large, 10 small)"
big=$(find "$work/data" -path '*block_store*' -name 000001 -size +5M | wc -l)
[ "$big" = 2 ] || fail "$big blocks with chunks over 5 MiB, want 2 (multipart)"
wait_until 60 bash -c "[ \$(grep -c '\"PUT .*partNumber=.*\"status\": 200' '$work/proxy.jsonl') -ge 1 ]" ||
  fail "no multipart part was stored"
uploaded_before=$(up_metric blocks_uploaded_total)
kill -KILL "$RECEIVER_PID"; wait "$RECEIVER_PID" 2>/dev/null || true
parts=$(proxy_count forward 'partNumber=' 200)
completions=$(proxy_count forward '^POST .*uploadId=')
[ "$completions" = 0 ] || fail "a multipart upload was completed before the SIGKILL (not mid-multipart)"
echo "A. SIGKILL after $parts stored parts of a multipart upload, before its completion ($uploaded_before blocks shipped before)"

# B. Restart into faults.
cat > "$work/rules" <<'RULES'
503 every=1 limit=2 match=^POST\s.*uploads=
reset_reply every=1 limit=1 match=^POST\s.*uploadId=
reset_body every=2 limit=2 match=^PUT\s.*partNumber=
reset every=5 limit=3 match=^PUT\s
500 every=3 limit=6 match=^PUT\s
delay=0.3 match=^PUT\s
RULES
start_strata "$work/receiver.yaml" "$work/receiver.log" "$admin"
RECEIVER_PID=$STRATA_PID
wait_until 60 bash -c "[ \$(curl -fsS '$base/metrics' | awk '\$1 ~ /^strata_bucket_uploader_blocks_uploaded_total/ {print int(\$2)}') -ge $((4 - uploaded_before)) ]" ||
  fail "fewer than 4 blocks shipped through the faults"
echo "B. $(up_metric blocks_uploaded_total) blocks shipped through injected faults"

# C. radosgw goes away while blocks are pending, then comes back.
: > "$work/rules"
touch "$work/outage"
radosgw_stop_rgw
sleep 4
pending=$(up_metric queue_blocks)
failures_down=$(up_metric upload_failures_total)
local_down=$(find "$work/data" -path '*block_store*' -name meta.json | wc -l)
[ "$pending" -gt 0 ] || fail "no block pending while radosgw was down"
[ "$failures_down" -gt 0 ] || fail "no failed upload counted while radosgw was down"
[ "$local_down" -ge "$pending" ] || fail "$pending blocks pending but only $local_down on disk"
radosgw_start_rgw
rm -f "$work/outage"
wait_until 90 bash -c "[ \"\$(curl -fsS '$base/metrics' | awk '\$1 ~ /^strata_bucket_uploader_queue_blocks/ {print \$2}')\" = 0 ]" ||
  fail "the pending blocks were not shipped after radosgw came back"
echo "C. radosgw down with $pending blocks pending ($local_down on disk, $failures_down failures), back: queue empty"

# Let the gateway sync the last blocks and the checker see them, then stop the checker.
loaded() { [ "$(metric_value "$gbase/metrics" 'strata_store_gateway_blocks_loaded{component="store_gateway"}')" = "$blocks" ]; }
wait_until 30 loaded || fail "the gateway did not load all $blocks blocks"
sleep 2
touch "$work/stop"
wait "$CHECKER_PID" || fail "checker failed: $(tail -5 "$work/checker.err")"

# The faults happened.
for f in '503 ^POST.*uploads=' 'reset_reply ^POST.*uploadId=' 'reset_body partNumber=' \
  'reset ^PUT' '500 ^PUT'; do
  set -- $f
  c=$(proxy_count "$1" "$2")
  [ "$c" -ge 1 ] || fail "fault $1 on $2 never injected"
  echo "   injected: $1 on $2: $c"
done

# Bucket: every sealed block exactly once and complete, nothing partial.
"$build/bin/strata-bucket" --objstore.config-file "$work/objstore.yml" ls > "$work/objects.txt"
"$build/bin/strata-bucket" --objstore.config-file "$work/objstore.yml" blocks > "$work/blocks.txt"
python3 - "$work/checker.json" "$work/objects.txt" "$work/blocks.txt" "$blocks" <<'PY' || fail "bucket check"
import collections, json, re, sys
c = json.load(open(sys.argv[1]))
objects = [l.split()[0] for l in open(sys.argv[2]) if l.strip()]
listed = [l.split() for l in open(sys.argv[3]) if l.strip()]
want = int(sys.argv[4])
complete = sorted(f[0] for f in listed if f[1] != "partial")
partial = [f[0] for f in listed if f[1] == "partial"]
per_block = collections.defaultdict(list)
for o in objects:
    per_block[o.split("/", 1)[0]].append(o.split("/", 1)[1])
assert not partial, f"partial blocks in the bucket: {partial}"
assert len(complete) == len(set(complete)) == want, f"{len(complete)} blocks in the bucket, want {want}"
assert set(per_block) == set(complete), f"objects outside complete blocks: {set(per_block) - set(complete)}"
for u, files in per_block.items():
    chunks = sorted(f for f in files if f.startswith("chunks/"))
    assert "meta.json" in files and "index" in files and chunks, f"{u}: incomplete: {files}"
    assert chunks == [f"chunks/{i:06d}" for i in range(1, len(chunks) + 1)], f"{u}: chunks {chunks}"
    others = set(files) - set(chunks) - {"meta.json", "index", "tombstones"}
    assert not others, f"{u}: unexpected objects {others}"
assert set(c["local_seen"]) == set(complete), \
    f"sealed locally but not in the bucket: {set(c['local_seen']) - set(complete)}; " \
    f"in the bucket but never seen locally: {set(complete) - set(c['local_seen'])}"
print(f"   bucket: {len(complete)} blocks, each once and complete ({len(objects)} objects); "
      f"all {len(c['local_seen'])} locally sealed blocks among them")
PY

# Checker: no partial or doubled block served, no error outside the outage, no early deletion.
python3 - "$work/checker.json" "$blocks" <<'PY' || fail "checker assertions"
import json, sys
c = json.load(open(sys.argv[1]))
want = int(sys.argv[2])
assert not c["violations"], "\n".join(c["violations"][:10])
assert not c["errors"], "errors outside the outage:\n" + "\n".join(c["errors"][:10])
assert c["max_served_blocks"] == want, f"the gateway served at most {c['max_served_blocks']} blocks"
mid = [x for x in c["served_history"] if 0 < x < want]
assert mid, "the checker never observed the gateway while blocks were still being uploaded"
assert c["local_deleted"], "no local block was deleted (retention never ran after upload)"
print(f"   checker: {c['polls']} polls, {c['queries']} gateway queries, {len(mid)} polls with "
      f"1..{want - 1} blocks served, {c['errors_in_outage']} failures during the outage, "
      f"{len(c['local_deleted'])} local deletions all after upload, "
      f"{c['partial_listed']} partial blocks listed mid-upload (never served), 0 violations")
PY
skipped=$(curl -fsS "$gbase/metrics" | awk '$1 ~ /^strata_store_gateway_blocks_skipped_total/ {s += $2} END {print s + 0}')
[ "$skipped" = 0 ] || fail "the gateway skipped $skipped blocks"

# Uploader metrics (this process: since the restart).
uploaded=$(up_metric blocks_uploaded_total)
failures=$(up_metric upload_failures_total)
retries=$(up_metric upload_retries_total)
lost=$(up_metric blocks_lost_total)
[ $((uploaded + uploaded_before)) = "$blocks" ] ||
  fail "uploaded $uploaded after the restart + $uploaded_before before != $blocks blocks"
[ "$failures" -gt 0 ] && [ "$retries" -gt 0 ] || fail "failures $failures, retries $retries (want > 0)"
[ "$lost" = 0 ] || fail "$lost blocks lost"
echo "   uploader: $uploaded + $uploaded_before uploaded = $blocks blocks, $failures failures, $retries retries, 0 lost"

# Every sample of the data set, from the gateway.
end_s=$(( (p2 + 600000) / 1000 ))
curl -fsS "$gbase/api/v1/query" --data-urlencode 'query={series_id="1"}[1h]' \
  --data-urlencode "time=$end_s" > "$work/total.json" || fail "total query failed"
python3 - "$work/total.json" <<'PY' || fail "the gateway does not serve every sample"
import json, sys
r = json.load(open(sys.argv[1]))["data"]["result"]
counts = sorted(len(s["values"]) for s in r)
assert len(r) == 10 and counts == [1260] * 10, f"{len(r)} series, counts {counts}"
print("   gateway: all 1260 samples of each of the 10 checked series")
PY
incomplete=$(curl -s --aws-sigv4 "aws:amz:us-east-1:s3" \
  --user "$STRATA_TEST_S3_ACCESS_KEY:$STRATA_TEST_S3_SECRET_KEY" \
  -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
  "http://$STRATA_TEST_S3_ENDPOINT/$STRATA_TEST_S3_BUCKET?uploads=" | grep -o '<UploadId>' | wc -l || true)
echo "   (incomplete multipart uploads left in radosgw, invisible as objects: $incomplete)"

stop_pid "$GATEWAY_PID" 30
stop_pid "$RECEIVER_PID" 30
radosgw_stop
echo "PASS: bucket_uploader through S3 faults, SIGKILL mid-multipart and an outage ($((SECONDS - t0)) s)"
