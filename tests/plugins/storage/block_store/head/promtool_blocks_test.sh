#!/usr/bin/env bash
# Blocks written by real Prometheus tooling are served by our store with identical samples
# (issue 5's acceptance): an OpenMetrics file (counters and gauges with decimals, several
# label sets, 5 h at 15 s so promtool writes three 2 h blocks) goes through
# `promtool tsdb create-blocks-from openmetrics`; the blocks are placed in a fresh block_store
# data dir twice, in the plain Prometheus layout (<path>/<ULID>, the default tenant) and in a
# tenant's directory (<path>/tenant-a/<ULID>); strata starts with that dir, and the store's
# dump route must return exactly the file's samples for both tenants: every sample once, same
# labels, timestamps and values (bit for bit: both sides print round-trip decimal text).
# Loopback only; bounded (~20 s); kills only the process it started.
set -euo pipefail
STRATA=$1
PROMTOOL=${2:-promtool}
source "$(dirname "$0")/../../../../integration/lib/harness.sh"
work=$(mktemp -d)
trap 'cleanup_started; rm -rf "$work"' EXIT

# The OpenMetrics input; timestamps in seconds, aligned so the data spans three 2 h blocks.
python3 - "$work/data.om" <<'PY'
import random, sys
random.seed(5)
start = (1_700_000_000 // 7200) * 7200 + 600
steps = 5 * 3600 // 15
out = []
out.append("# TYPE app_requests counter")
for inst in ("a", "b", "c"):
    v = 0.0
    for k in range(steps):
        v += random.choice([1, 2, 5]) + round(random.random(), 3)
        out.append(f'app_requests_total{{instance="{inst}",path="/x y"}} {round(v, 3)} {start + 15 * k}')
out.append("# TYPE app_temperature gauge")
for zone in ("north", "south"):
    v = 20.0
    for k in range(steps):
        v += round(random.uniform(-0.5, 0.5), 2)
        out.append(f'app_temperature{{zone="{zone}"}} {round(v, 2)} {start + 15 * k}')
out.append("# TYPE app_up gauge")
for k in range(steps):
    out.append(f"app_up 1 {start + 15 * k}")
out.append("# EOF")
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY

"$PROMTOOL" tsdb create-blocks-from openmetrics "$work/data.om" "$work/prom" > "$work/promtool.log" 2>&1 ||
  { cat "$work/promtool.log"; fail "promtool create-blocks-from"; }
blocks=$(find "$work/prom" -mindepth 2 -maxdepth 2 -name meta.json | wc -l)
[ "$blocks" -ge 3 ] || fail "promtool wrote $blocks blocks, expected 3"
mkdir -p "$work/store/tenant-a"
for b in "$work"/prom/*/; do
  cp -r "$b" "$work/store/"
  cp -r "$b" "$work/store/tenant-a/"
done

admin=$(free_port); rw=$(free_port); dbg=$(free_port)
cat > "$work/p.yaml" <<YAML
server: {listen_address: "127.0.0.1:$admin", data_dir: $work/data, log_level: warn}
receivers:
  remote_write: {listen_address: "127.0.0.1:$rw"}
storage:
  block_store: {path: "$work/store", debug_listen_address: "127.0.0.1:$dbg"}
pipelines:
  metrics: {receivers: [remote_write], exporters: [block_store]}
YAML
"$STRATA" run -c "$work/p.yaml" > "$work/strata.log" 2>&1 &
STARTED_PIDS+=("$!")
wait_http "http://127.0.0.1:$admin/-/ready" 20 || { tail -20 "$work/strata.log"; exit 1; }

# compare TENANT: the dump equals the OpenMetrics samples as a multiset.
compare() {
  curl -fsS "http://127.0.0.1:$dbg/api/v1/strata/dump?tenant=$1" > "$work/dump-$1"
  python3 - "$work/data.om" "$work/dump-$1" "$1" <<'PY'
import collections, re, struct, sys
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+) (\S+)$')
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
def parse(path, ts_scale):
    out = collections.Counter()
    for line in open(path):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        m = line_re.match(line)
        if not m:
            sys.exit(f"unparsable line in {path}: {line!r}")
        labels = tuple(sorted(label_re.findall(m.group(3) or "")))
        value = struct.pack("<d", float(m.group(4)))
        ts = round(float(m.group(5)) * ts_scale)
        out[(m.group(1), labels, ts, value)] += 1
    return out
want = parse(sys.argv[1], 1000)  # OpenMetrics timestamps are seconds
got = parse(sys.argv[2], 1)      # the dump's are milliseconds
missing, extra = want - got, got - want
print(f"{sys.argv[3]}: expected={sum(want.values())} served={sum(got.values())} "
      f"missing={sum(missing.values())} unexpected={sum(extra.values())}")
for k in list(missing)[:3]: print("  missing", k)
for k in list(extra)[:3]: print("  unexpected", k)
sys.exit(1 if missing or extra else 0)
PY
}
compare default-tenant || fail "plain Prometheus layout"
compare tenant-a || fail "tenant directory layout"
echo "OK: $blocks promtool blocks served identically in both layouts"
