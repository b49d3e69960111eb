#!/usr/bin/env bash
# The compactor over a filesystem bucket, end to end (issue 16): promtool makes eight aligned
# 2h blocks (Prometheus' own writer, no Thanos section) that are copied into a bucket
# directory; strata runs pipelines/compactor.yaml over it. Checks that
#   1. the compactor survives SIGKILL at random points of its first runs, and a clean run
#      then converges: one level-2 block made of the four oldest blocks (the newest block waits,
#      as in Thanos, so the next four stay 2h blocks), sources marked (delete_delay 1h); then
#      from the state a crash between the output upload and the marks leaves (marks removed,
#      plus a partial second output), a run with delete_delay 0s marks and deletes the sources
#      without compacting again and leaves the young partial block alone;
#   2. `promtool tsdb dump` of the result equals the dump of the sources: every sample once,
#      none missing, none extra;
#   3. `promtool tsdb analyze` reads the compacted block; the metrics say what happened.
# Usage: compact_fs.sh BUILD_DIR
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

# Eight 2h blocks over 16 h, 2h- and 8h-aligned, copied into the bucket.
start=1700006400
python3 "$here/gen_openmetrics.py" "$start" 16 "$work/in.om"
promtool tsdb create-blocks-from openmetrics "$work/in.om" "$work/sources" > /dev/null
mkdir -p "$work/bucket" "$work/sources/wal"
n=0
for d in "$work"/sources/*/; do
  [ -f "$d/meta.json" ] || continue
  cp -r "$d" "$work/bucket/"
  n=$((n + 1))
done
[ "$n" = 8 ] || fail "promtool made $n blocks, want 8"
promtool tsdb dump "$work/sources" | sort > "$work/sources.dump"

"$build/bin/pipeline-lint" "$root/pipelines/compactor.yaml" > /dev/null ||
  fail "pipelines/compactor.yaml does not lint"
export STRATA_LISTEN_ADDRESS="127.0.0.1:$admin" STRATA_DATA_DIR="$work/data"
export STRATA_BUCKET_DIR="$work/bucket" STRATA_DELETE_DELAY=1h STRATA_COMPACT_INTERVAL=1h
metric() { metric_value "$base/metrics" "$1"; }
done_run() {
  local t
  t=$(metric 'strata_compactor_last_successful_run_timestamp_seconds{component="compactor"}')
  [ "$t" != absent ] && [ "${t%.*}" -gt 0 ]
}
count() { local v; v=$(metric "strata_compactor_$1{component=\"compactor\"}"); echo "${v%.*}"; }
live_blocks() {
  for d in "$work"/bucket/*/; do
    [ -f "$d/meta.json" ] && [ ! -f "$d/deletion-mark.json" ] && basename "$d"
  done
  return 0
}

# 1. Killed at random points of its first runs (SIGKILL: no cleanup of its own), then a clean
#    run. delete_delay 1h: the sources stay, marked.
for i in 1 2 3; do
  "$STRATA" run -c "$root/pipelines/compactor.yaml" >> "$work/kill.log" 2>&1 &
  pid=$!
  STARTED_PIDS+=("$pid")
  sleep "0.$((RANDOM % 6))$((RANDOM % 10))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
start_strata "$root/pipelines/compactor.yaml" "$work/compactor.log" "$admin"
wait_until 60 done_run || { tail -20 "$work/compactor.log"; fail "no successful run"; }
stop_pid "$STRATA_PID" 30
mapfile -t live < <(live_blocks)
level2=()
for b in "${live[@]}"; do
  grep -q '"level": 2' "$work/bucket/$b/meta.json" && level2+=("$b")
done
[ "${#live[@]}" = 5 ] || { ls -l "$work/bucket"; fail "${#live[@]} live blocks, want 5 (one 8h + four 2h)"; }
[ "${#level2[@]}" = 1 ] || fail "${#level2[@]} level-2 blocks, want 1"
out=${level2[0]}
python3 - "$work/bucket/$out/meta.json" "$start" <<'PY' || fail "meta.json of the output"
import json, sys
m = json.load(open(sys.argv[1])); start = int(sys.argv[2]) * 1000
assert m["minTime"] == start, m["minTime"]
assert start + 6 * 3600_000 < m["maxTime"] <= start + 8 * 3600_000, m["maxTime"]
assert len(m["compaction"]["sources"]) == 4 and len(m["compaction"]["parents"]) == 4
assert m["thanos"]["source"] == "compactor", m["thanos"]
PY
marked=$(find "$work/bucket" -name deletion-mark.json | wc -l)
[ "$marked" = 4 ] || fail "$marked deletion marks, want 4 (the sources, kept for delete_delay)"
echo "1. after 3 SIGKILLs and a clean run: one 8h block ($out) + four 2h blocks, 4 sources marked"

# The state a crash leaves between the output's meta.json and the marks (marks gone), plus a
# partial upload of a second output (index and chunks, no meta.json).
find "$work/bucket" -name deletion-mark.json -delete
partial=01HZZZZZZZZZZZZZZZZZZZZZZZ
mkdir -p "$work/bucket/$partial"
cp -r "$work/bucket/$out/index" "$work/bucket/$out/chunks" "$work/bucket/$partial/"
export STRATA_DELETE_DELAY=0s
start_strata "$root/pipelines/compactor.yaml" "$work/compactor2.log" "$admin"
PID=$STRATA_PID
wait_until 60 done_run || { tail -20 "$work/compactor2.log"; fail "no successful run after the crash"; }
[ "$(count groups_compacted_total)" = 0 ] || fail "compacted again: $(count groups_compacted_total) groups"
[ "$(count blocks_marked_for_deletion_total)" = 4 ] || fail "marks: $(count blocks_marked_for_deletion_total)"
[ "$(count blocks_deleted_total)" = 4 ] || fail "deleted: $(count blocks_deleted_total)"
[ -f "$work/bucket/$partial/index" ] || fail "a young partial block was deleted"
mapfile -t live < <(live_blocks)
[ "${#live[@]}" = 5 ] || fail "${#live[@]} live blocks after the crash run, want 5"
echo "   crash between upload and marks: sources marked (not compacted twice) and deleted; the partial block is left alone"

# 2. Sample for sample, the result equals the sources (partial leftovers of the kills, if any,
#    are not blocks: only complete, unmarked blocks are read, as every reader does).
mkdir -p "$work/result/wal"
for b in "${live[@]}"; do cp -r "$work/bucket/$b" "$work/result/"; done
promtool tsdb dump "$work/result" | sort > "$work/result.dump"
python3 "$here/compare_dumps.py" "$work/sources.dump" "$work/result.dump" ||
  fail "the compacted bucket does not hold exactly the sources' samples"
echo "2. promtool tsdb dump: every source sample exactly once"

# 3. promtool analyze reads the output; the metrics.
promtool tsdb analyze "$work/result" "$out" > "$work/analyze.txt" 2>&1 ||
  { cat "$work/analyze.txt"; fail "promtool tsdb analyze failed"; }
grep -q "^Series: 17$" "$work/analyze.txt" || { cat "$work/analyze.txt"; fail "analyze: series"; }
[ "$(count run_failures_total)" = 0 ] || fail "run failures: $(count run_failures_total)"
echo "3. promtool tsdb analyze reads it ($(grep -m1 ^Duration "$work/analyze.txt"), 17 series)"

stop_pid "$PID" 30
echo "PASS: compactor (filesystem): 8 promtool blocks -> one 8h + four 2h, dump identical"
[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
