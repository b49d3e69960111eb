#!/usr/bin/env bash
# Downsampling and retention per resolution, end to end (issue 16): promtool makes 36 2h
# blocks over 3 days (17 series, 60 s), ending about ten days ago, in a filesystem bucket;
# strata's compactor (block_ranges 2h/8h/2d, downsample_raw_after 7h, downsample_5m_after 47h:
# promtool's maxTime is the last sample + 1 ms, so an "8h" block spans 7h59m; retention_raw
# just short of the 2d block's age, delete_delay 0s) runs once. Checks that
#   1. every raw block at least 7h long is covered by a 5m block (Thanos' meta.json:
#      resolution 300000, source compactor, the raw block's sources and range), no shorter
#      raw block is, and the 2d 5m block got a 1h copy;
#   2. retention marked and deleted exactly the raw block past retention_raw (the 2d one),
#      nothing at 5m or 1h;
#   3. a second run downsamples nothing more, deletes nothing more.
# Usage: downsample_fs.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/harness.sh"
build=$(cd "$1" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'cleanup_started' EXIT
command -v promtool > /dev/null || fail "promtool not installed"
admin=$(free_port)
base="http://127.0.0.1:$admin"
STRATA="$build/bin/strata"

# 3 days from a 2d-aligned start 12 to 14 days ago.
now=$(date +%s)
start=$(( (now - 12 * 86400) / 172800 * 172800 - 172800 ))
python3 "$here/gen_openmetrics.py" "$start" 72 "$work/in.om"
promtool tsdb create-blocks-from openmetrics "$work/in.om" "$work/sources" > /dev/null
mkdir -p "$work/bucket"
n=0
for d in "$work"/sources/*/; do
  [ -f "$d/meta.json" ] || continue
  cp -r "$d" "$work/bucket/"
  n=$((n + 1))
done
[ "$n" = 36 ] || fail "promtool made $n blocks, want 36"
cp -r "$work/bucket" "$work/bucket-raw"  # the raw data, for step 4's expected answers

# retention_raw: the age of the 2d block's maxTime minus 2h, in hours: it alone is past it.
retention_h=$(( (now - start - 48 * 3600) / 3600 - 2 ))
cat > "$work/compactor.yaml" <<YAML
server:
  listen_address: "127.0.0.1:$admin"
  data_dir: "$work/data"
services:
  compactor:
    bucket: {type: filesystem, config: {directory: "$work/bucket"}}
    interval: 1h
    block_ranges: [2h, 8h, 2d]
    delete_delay: 0s
    downsampling: true
    downsample_raw_after: 7h
    downsample_5m_after: 47h
    retention_raw: ${retention_h}h
    retention_5m: 30d
    retention_1h: 180d
YAML
"$build/bin/pipeline-lint" "$work/compactor.yaml" > /dev/null || fail "the pipeline does not lint"
metric() { metric_value "$base/metrics" "$1"; }
done_run() {
  local t
  t=$(metric 'strata_compactor_last_successful_run_timestamp_seconds{component="compactor"}')
  [ "$t" != absent ] && [ "${t%.*}" -gt 0 ]
}
count() { local v; v=$(metric "strata_compactor_$1"); echo "${v%.*}"; }

run_once() {
  start_strata "$work/compactor.yaml" "$work/$1.log" "$admin"
  wait_until 100 done_run || { tail -20 "$work/$1.log"; fail "no successful run ($1)"; }
  [ "$(count 'run_failures_total{component="compactor"}')" = 0 ] || fail "run failures ($1)"
}

t0=$(date +%s.%N)
run_once first
ds5=$(count 'blocks_downsampled_total{component="compactor",resolution="5m"}')
ds1=$(count 'blocks_downsampled_total{component="compactor",resolution="1h"}')
ret=$(count 'blocks_marked_by_retention_total{component="compactor"}')
stop_pid "$STRATA_PID" 30
echo "first run: $ds5 blocks downsampled to 5m, $ds1 to 1h, $ret marked by retention ($(python3 -c "import time;print(round(time.time()-$t0,1))") s)"

python3 - "$work/bucket" "$start" "$now" "$retention_h" "$ds5" "$ds1" "$ret" <<'PY' || fail "bucket content"
import json, os, sys
bucket, start, now, ret_h = sys.argv[1], int(sys.argv[2]) * 1000, int(sys.argv[3]) * 1000, int(sys.argv[4])
ds5, ds1, ret = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
blocks = {}
for b in os.listdir(bucket):
    p = os.path.join(bucket, b)
    if os.path.exists(os.path.join(p, "meta.json")) and not os.path.exists(os.path.join(p, "deletion-mark.json")):
        blocks[b] = json.load(open(os.path.join(p, "meta.json")))
res = lambda m: m.get("thanos", {}).get("downsample", {}).get("resolution", 0)
raw = {u: m for u, m in blocks.items() if res(m) == 0}
five = {u: m for u, m in blocks.items() if res(m) == 300000}
hour = {u: m for u, m in blocks.items() if res(m) == 3600000}
assert set(raw) | set(five) | set(hour) == set(blocks), "unexpected resolution"
# Raw: the 2d block [start, start+48h) is gone (past retention), the rest of the 3 days stays.
assert min(m["minTime"] for m in raw.values()) == start + 48 * 3600_000, sorted((m["minTime"], m["maxTime"]) for m in raw.values())
assert all(m["maxTime"] >= now - ret_h * 3600_000 for m in raw.values())
assert ret == 1, f"{ret} blocks marked by retention, want 1"
# 5m: one block per raw block of at least 7h (the 2d one included: downsampled before its
# deletion), with Thanos' meta; sources cover exactly those raw blocks.
covered = set()
for u, m in five.items():
    t = m["thanos"]
    assert t["source"] == "compactor" and t["downsample"]["resolution"] == 300000, t
    assert m["stats"]["numSeries"] in (16, 17), m["stats"]  # batch_temp: first 36h only
    covered |= set(m["compaction"]["sources"])
for u, m in raw.items():
    long_enough = m["maxTime"] - m["minTime"] >= 7 * 3600_000
    assert long_enough == set(m["compaction"]["sources"]).issubset(covered), (u, m["minTime"], m["maxTime"])
assert any(m["minTime"] == start and start + 47 * 3600_000 < m["maxTime"] <= start + 48 * 3600_000 for m in five.values()), "no 5m copy of the 2d block"
assert len(five) == ds5, (len(five), ds5)
# 1h: the 2d 5m block's copy.
assert len(hour) == 1 and ds1 == 1, (len(hour), ds1)
h = next(iter(hour.values()))
assert h["minTime"] == start and start + 47 * 3600_000 < h["maxTime"] <= start + 48 * 3600_000, h
assert h["thanos"]["source"] == "compactor"
# Exactly one block deleted: 36 promtool blocks compacted into len(raw)+1 raw blocks.
print(f"   raw {len(raw)} blocks (the 2d one deleted by retention), 5m {len(five)}, 1h {len(hour)}; every raw block >= 7h covered")
PY
left=$(find "$work/bucket" -name deletion-mark.json | wc -l)
[ "$left" = 0 ] || fail "$left deletion marks left (delete_delay 0s: the marked blocks are deleted)"
[ "$(find "$work/bucket" -mindepth 1 -maxdepth 1 -type d | wc -l)" = 10 ] ||
  fail "want 10 block directories (6 raw, 3 5m, 1h), no partial leftovers"
echo "1-2. 5m and 1h blocks with Thanos' meta.json; retention deleted exactly the 2d raw block"

before=$(find "$work/bucket" -name meta.json | sort | xargs md5sum | md5sum)
run_once second
ds=$(count 'blocks_downsampled_total{component="compactor",resolution="5m"}')
ret=$(count 'blocks_marked_by_retention_total{component="compactor"}')
stop_pid "$STRATA_PID" 30
after=$(find "$work/bucket" -name meta.json | sort | xargs md5sum | md5sum)
[ "$ds" = 0 ] && [ "$ret" = 0 ] || fail "second run downsampled $ds, retention marked $ret"
[ "$before" = "$after" ] || fail "the second run changed the bucket"
echo "3. second run: nothing downsampled again, nothing deleted"
# 4. A store gateway serves the compacted bucket, downsampled blocks included: over the range
#    kept only at 5m (the 2d raw block is gone), range queries at a 1h step (default
#    max_source_resolution = raw, which falls back to 5m there, and `auto`) answer, and agree
#    with the same queries over a copy of the raw bucket taken before compaction:
#    max/min/count_over_time exactly, sum_over_time up to float rounding (over [59m59s999ms]
#    evaluated 1 ms before the hour: this engine's ranges are closed, so [E-59m59.999s, E]
#    holds exactly the raw samples of the 5m windows inside it: the samples are on the
#    minute), rate within 2%: the counters grow at a constant rate, and both answers
#    extrapolate to the whole range, but around a reset the raw and window-end samples see
#    the restart at different points: measured 1/60 (one scrape's increase in the hour).
if [ -f "$build/lib/strata/plugins/storage_store_gateway.so" ] &&
   [ -f "$build/lib/strata/plugins/query_promql_api.so" ]; then
  serve() {  # serve BUCKET LOG BLOCKS
    STRATA_LISTEN_ADDRESS="127.0.0.1:$admin" STRATA_DATA_DIR="$work/gw-data-$3" \
      STRATA_BUCKET_DIR="$1" STRATA_SYNC_INTERVAL=1s \
      start_strata "$root/pipelines/store-gateway.yaml" "$2" "$admin"
    want_blocks=$3
    loaded() {
      local v
      v=$(metric 'strata_store_gateway_blocks_loaded{component="store_gateway"}')
      [ "${v%.*}" = "$want_blocks" ]
    }
    wait_until 30 loaded || { tail -5 "$2"; fail "the gateway did not load the $3 blocks of $1"; }
  }
  ask() {  # ask OUT [extra curl args]: the step-4 queries, one JSON answer per line
    local out=$1 q
    shift
    : > "$out"
    for q in 'max_over_time(node_load[59m59s999ms])' 'min_over_time(node_load[59m59s999ms])' \
             'sum_over_time(node_load[59m59s999ms])' 'count_over_time(node_load[59m59s999ms])' \
             'rate(http_requests_total[59m59s999ms])'; do
      curl -sS "$base/api/v1/query_range" --data-urlencode "query=$q" \
        --data-urlencode "start=$((start + 7 * 3600 - 1)).999" --data-urlencode "end=$((start + 44 * 3600 - 1)).999" \
        --data-urlencode step=3600 "$@" >> "$out"
      echo >> "$out"
    done
  }
  # Evaluation at H:59:59.999 = 1 ms before each hour from start + 7h to start + 44h.
  serve "$work/bucket-raw" "$work/gateway-raw.log" 36
  ask "$work/want.json"
  stop_pid "$STRATA_PID" 30
  served=$(python3 -c "
import glob, os
print(sum(1 for p in glob.glob('$work/bucket/*/meta.json')
          if not os.path.exists(os.path.join(os.path.dirname(p), 'deletion-mark.json'))))")
  serve "$work/bucket" "$work/gateway.log" "$served"
  ask "$work/got.json"
  ask "$work/got-auto.json" --data-urlencode max_source_resolution=auto
  stop_pid "$STRATA_PID" 30
  for got in got got-auto; do
    python3 - "$work/want.json" "$work/$got.json" <<'PY' || fail "downsampled answers ($got) differ from raw"
import json, sys
want = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
got = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
names = ["max_over_time", "min_over_time", "sum_over_time", "count_over_time", "rate"]
for name, w, g in zip(names, want, got):
    assert w["status"] == "success" and g["status"] == "success", (name, w, g)
    ws = {json.dumps(s["metric"], sort_keys=True): s["values"] for s in w["data"]["result"]}
    gs = {json.dumps(s["metric"], sort_keys=True): s["values"] for s in g["data"]["result"]}
    assert ws and set(ws) == set(gs), (name, sorted(ws), sorted(gs))
    for k in ws:
        assert [t for t, _ in ws[k]] == [t for t, _ in gs[k]], (name, k, "timestamps")
        for (t, a), (_, b) in zip(ws[k], gs[k]):
            a, b = float(a), float(b)
            tol = 0.02 * abs(a) if name == "rate" else 1e-9 * max(1.0, abs(a))
            if abs(a - b) > tol:
                sys.exit(f"{name} {k} at {t}: raw {a}, downsampled {b}")
PY
  done
  echo "4. store gateway: $served blocks served (5m and 1h included); over the 5m-only range" \
    "max/min/sum/count_over_time equal the raw answers and rate is within 2%"
fi
echo "PASS: downsampling (raw -> 5m -> 1h) and retention per resolution over a filesystem bucket"
[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
