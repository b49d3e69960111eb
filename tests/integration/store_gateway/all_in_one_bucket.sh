#!/usr/bin/env bash
# The embedded all-in-one pipeline answers from its bucket beside its head (issue 15): a block
# from three weeks ago, made by promtool (as a Prometheus would have written it), lies in the
# bucket under the data dir; recent samples are remote-written. One /api/v1/query answers both:
# the old series from the store gateway, the new ones from the block store, each exactly as
# written.
# Usage: all_in_one_bucket.sh BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/../lib/harness.sh"
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'cleanup_started; rm -rf "$work"' EXIT
port=$(free_port)
base="http://127.0.0.1:$port"

# Three weeks ago: older than the gateway's max_time (-14d), past the local retention (15d).
old_s=$(( $(date +%s) - 21 * 86400 ))
{
  echo "# TYPE archived_metric gauge"
  for i in $(seq 0 9); do echo "archived_metric{shard=\"a\"} $i $((old_s + i * 15))"; done
  echo "# EOF"
} > "$work/old.om"
mkdir -p "$work/data/bucket"
promtool tsdb create-blocks-from openmetrics "$work/old.om" "$work/data/bucket" > "$work/promtool.log" 2>&1 ||
  { cat "$work/promtool.log"; fail "promtool could not write the old block"; }

STRATA_LISTEN_ADDRESS="127.0.0.1:$port" STRATA_DATA_DIR="$work/data" \
  STRATA_NODE_EXPORTER="127.0.0.1:1" "$build/bin/strata" run > "$work/strata.log" 2>&1 &
STARTED_PIDS+=($!)
wait_http "$base/-/ready" 30
"$build/bin/conn-load" --write-url "$base/api/v1/write" --connections 2 --interval-ms 200 \
  --duration-s 2 --ack-log "$work/acked.txt" > "$work/load.json" 2> "$work/load.err" ||
  fail "writes failed"

loaded=$(metric_value "$base/metrics" 'strata_store_gateway_blocks_loaded{component="store_gateway"}')
[ "${loaded%.*}" -ge 1 ] || fail "the store gateway loaded no block from data/bucket ($loaded)"
old=$(curl -fsS "$base/api/v1/query" --data-urlencode "query=archived_metric[5m]" \
  --data-urlencode "time=$((old_s + 200))")
python3 - "$old" <<'PY' || fail "the archived samples did not come back from the bucket"
import json, sys
r = json.loads(sys.argv[1])
assert r["status"] == "success", r
assert "warnings" not in r, r.get("warnings")
series = r["data"]["result"]
assert len(series) == 1 and series[0]["metric"].get("shard") == "a", series
values = [float(v) for _, v in series[0]["values"]]
assert values == [float(i) for i in range(10)], values
print(f"archived: {len(values)} samples from 3 weeks ago, served from the bucket")
PY
end=$(date +%s)
curl -fsS "$base/api/v1/query" --data-urlencode "query=conn_load_samples[1m]" \
  --data-urlencode "time=$((end + 1))" > "$work/recent.json"
python3 - "$work/acked.txt" "$work/recent.json" <<'PY' || fail "recent samples differ"
import json, sys
acked = {line.strip() for line in open(sys.argv[1]) if line.strip()}
got = set()
for s in json.load(open(sys.argv[2]))["data"]["result"]:
    m = s["metric"]
    labels = ",".join(f'{k}="{m[k]}"' for k in sorted(m) if k != "__name__")
    for ts, v in s["values"]:
        got.add(f'{m["__name__"]}{{{labels}}} {float(v):g} {int(round(float(ts) * 1000))}')
norm = lambda l: (lambda a: f"{a[0]} {float(a[1]):g} {a[2]}")(l.rsplit(" ", 2))
acked = {norm(a) for a in acked}
print(f"recent: {len(acked)} acknowledged, {len(acked - got)} missing (block store)")
sys.exit(1 if acked - got or not acked else 0)
PY
echo "PASS: the all-in-one answers from its bucket (3 weeks ago) and its head (now) in one API"
