#!/usr/bin/env python3
"""Renders tools/bench results (JSON lines) as markdown: medians, min-max, Strata/peer ratios.

--standalone FILE writes one report; --doc FILE replaces this mode's section of
docs/benchmarks.md (between its markers) and keeps the other modes' sections.
"""
import argparse, json, os, re, statistics

SYSTEMS = ['strata', 'prometheus', 'victoriametrics']
TITLES = {'strata': 'Strata', 'prometheus': 'Prometheus', 'victoriametrics': 'VictoriaMetrics'}
INGEST = [('samples_per_s', 'accepted samples/s (wall)', 0, True),
          ('cpu_s_per_million', 'CPU-s per million samples (server)', 2, False),
          ('peak_rss_mb', 'peak RSS, MB (VmHWM)', 1, False),
          ('rss_per_series_kb', 'RSS growth per active series, KB', 2, False)]
HEADER = """# Benchmarks

Side-by-side figures for Strata, Prometheus 2.42 and VictoriaMetrics 1.79 (Debian packages),
measured by `tools/bench/run.sh` (issue 7) on the same pre-generated data in one run, the
systems interleaved (A B C A B C ...) over the repetitions. Every figure is the **median**
over repetitions, with min-max; ratios are Strata / peer (below 1 is better for Strata, except
samples/s where above 1 is better). The machine is shared and small: read the load column.

## How to rerun

```sh
apt-get install -y prometheus victoria-metrics        # Prometheus 2.42, VictoriaMetrics 1.79
cmake -S . -B build -G Ninja && ninja -C build strata strata-avalanche \\
  lib/strata/plugins/receiver_remote_write.so lib/strata/plugins/exporter_debug.so \\
  lib/strata/plugins/storage_block_store.so
tools/bench/run.sh all          # or ingest | storage | query; smoke = tiny sizes, CI
BENCH_SERIES=100000 BENCH_SAMPLES=60 tools/bench/run.sh ingest   # the issues' larger size
```

Sizes: `BENCH_SERIES` (10000), `BENCH_SAMPLES` (240 per series at 15 s), `BENCH_REPS` (3),
`BENCH_QUERY_REPS` (5), `BENCH_CONNECTIONS` (4), `BENCH_SERIES_PER_REQUEST` (2000);
`STRATA_BUILD` picks the build dir. The data: `strata-avalanche` (tools/bench/avalanche), 10
metric families (2 classic histograms with 8 `le` buckets, 4 gauges random-walking with 2-3
decimals, 4 counters growing by varied integer or 3-decimal amounts), 3 labels of
cardinality 10 plus `series_id`, seed 1; the same bytes for every system.

What each figure is:
- **samples/s**: samples the server acknowledged (2xx) / wall seconds of the send, remote
  write 1.0 over keep-alive connections, bodies built and compressed before the clock starts.
- **CPU-s per million samples**: utime+stime of the server process (`/proc/PID/stat`) from
  idle before the send until it is idle again after (background merges count).
- **peak RSS**: `VmHWM` after the ingest; **RSS growth per active series**: (`VmRSS` after
  the ingest - `VmRSS` at idle) / series.
- **bytes per sample at rest**: Prometheus: the blocks `promtool tsdb create-blocks-from
  openmetrics` builds from the same data as an OpenMetrics file (2.42 cannot be told to
  compact its head over the API); VictoriaMetrics: its whole data dir after
  `/internal/force_flush`, `/internal/force_merge` and a clean stop; Strata: the block
  store's data dir after a clean stop (WAL and any sealed blocks).
- **query latency**: `/api/v1/query_range` wall time per query, one untimed warm-up, then
  median and p90 over the repetitions; VictoriaMetrics with `nocache=1` (no result cache).
  Results are compared (Prometheus as the reference): same series, values within the
  query's tolerance at common timestamps.

Which promise each figure checks: ingest CPU-s per million samples (issue 4: at most
VictoriaMetrics', at most a third of Prometheus'); bytes per sample at rest and RSS growth per
active series (issue 5: at most Prometheus', aim for VictoriaMetrics'); query latency (issue
6: faster than Prometheus on every query). A Strata figure of "n/a" means the part does not
exist yet, not that it was left out.

Not yet: remote write 2.0 in the load generator (TODO), the scrape benchmark driver (the
generator's `serve` mode exists), Strata query latency (no query API yet, issue 6).
"""


def load(path):
    return [json.loads(l) for l in open(path) if l.strip()]


def stats(vals):
    return statistics.median(vals), min(vals), max(vals)


def fmt(v, digits):
    return f'{v:,.{digits}f}'


def cell(vals, digits):
    if not vals:
        return 'n/a'
    m, lo, hi = stats(vals)
    return f'{fmt(m, digits)} ({fmt(lo, digits)}-{fmt(hi, digits)})' if len(vals) > 1 \
        else fmt(m, digits)


def ratio(a, b):
    if not a or not b or statistics.median(b) == 0:
        return 'n/a'
    return f'{statistics.median(a) / statistics.median(b):.2f}'


def values(rows, section, system, figure):
    return [r['value'] for r in rows if r.get('section') == section and
            r.get('system') == system and r.get('figure') == figure]


def ingest_table(rows, meta):
    if not any(r.get('section') == 'ingest' for r in rows):
        return ''
    out = [f"### Ingest (remote write 1.0, {meta['series_per_request']} series per request, "
           f"{meta['connections']} connections)\n",
           '| figure | Strata | Prometheus | VictoriaMetrics | Strata/Prom | Strata/VM |',
           '|---|---|---|---|---|---|']
    for fig, title, digits, _ in INGEST:
        v = {s: values(rows, 'ingest', s, fig) for s in SYSTEMS}
        out.append(f"| {title} | {cell(v['strata'], digits)} | {cell(v['prometheus'], digits)} | "
                   f"{cell(v['victoriametrics'], digits)} | {ratio(v['strata'], v['prometheus'])} | "
                   f"{ratio(v['strata'], v['victoriametrics'])} |")
    if meta['strata_store'] != 'block_store':
        out.append('\nStrata ran remote_write -> debug exporter (no block_store plugin built): its '
                   'figures are the receiver alone, nothing is stored.')
    return '\n'.join(out) + '\n'


def storage_table(rows, meta):
    if not any(r.get('section') == 'storage' for r in rows):
        return ''
    v = {s: values(rows, 'storage', s, 'bytes_per_sample') for s in SYSTEMS}
    blocks = values(rows, 'storage', 'strata', 'sealed_blocks')
    strata = cell(v['strata'], 2)
    note = ''
    if meta['strata_store'] != 'block_store':
        strata, note = 'n/a', 'Strata: n/a, no block_store plugin in this build.'
    elif blocks and max(blocks) == 0:
        note = ('Strata: the block store sealed no block (the data spans less than its 2 h '
                '`block_duration`), so its figure is the RocksDB WAL/head on disk, not blocks; '
                'the Strata/peer ratio compares unlike things until blocks are sealed.')
    out = ['### Storage at rest\n',
           '| figure | Strata | Prometheus | VictoriaMetrics | Strata/Prom | Strata/VM |',
           '|---|---|---|---|---|---|',
           f"| bytes per sample at rest | {strata} | {cell(v['prometheus'], 2)} | "
           f"{cell(v['victoriametrics'], 2)} | "
           f"{ratio(v['strata'], v['prometheus']) if strata != 'n/a' else 'n/a'} | "
           f"{ratio(v['strata'], v['victoriametrics']) if strata != 'n/a' else 'n/a'} |"]
    if note:
        out.append('\n' + note)
    return '\n'.join(out) + '\n'


def p90(vals):
    s = sorted(vals)
    return s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))]


def query_table(rows, meta):
    checks = [r for r in rows if r.get('section') == 'query_check']
    if not checks:
        return ''
    out = [f"### Query latency (`query_range`, ms, median / p90 of {meta['query_reps']})\n",
           '| query | range / step | Strata | Prometheus | VictoriaMetrics | VM/Prom | '
           'series (Prom/VM) | max rel. diff | equal |',
           '|---|---|---|---|---|---|---|---|---|']
    for c in checks:
        fig = 'latency_ms:' + c['query']
        p, vm = values(rows, 'query', 'prometheus', fig), values(rows, 'query', 'victoriametrics', fig)
        lat = lambda v: f'{statistics.median(v):.1f} / {p90(v):.1f}' if v else 'n/a'
        out.append(f"| `{c['expr']}` | {c['range_s'] // 60}m / {c['step_s']}s | "
                   f"n/a (no query API yet) | {lat(p)} | {lat(vm)} | {ratio(vm, p)} | "
                   f"{c['series_ref']}/{c['series_other']} | {c['max_rel_diff']:.1e} "
                   f"(tol {c['tolerance']:g}) | {'yes' if c['ok'] else '**NO**'} |")
    return '\n'.join(out) + '\n'


def section(rows, meta):
    ver = meta['versions']
    head = [f"## Run: `tools/bench/run.sh {meta['mode']}`\n",
            f"- date: {meta['date']}, {meta['seconds']} s; machine: {meta['nproc']} cores "
            f"({meta['cpu']}), {meta['ram_gib']} GiB RAM; load average (1/5/15 min) "
            f"{meta['load_before']} before, {meta['load_after']} after (other builds were "
            f"running on the same cores)",
            f"- versions: {ver['strata']} ({meta['build_type'] or 'default'} build, pipeline "
            f"remote_write -> {meta['strata_store']}); {ver['prometheus']}; {ver['victoriametrics']}",
            f"- data: {meta['series']:,} series x {meta['samples']} samples at "
            f"{meta['interval_s']} s = {meta['total_samples']:,} samples per system and "
            f"repetition; {meta['reps']} repetitions\n"]
    parts = [ingest_table(rows, meta), storage_table(rows, meta), query_table(rows, meta)]
    return '\n'.join(head) + '\n' + '\n'.join(p for p in parts if p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--meta', required=True)
    ap.add_argument('--results', required=True)
    ap.add_argument('--standalone')
    ap.add_argument('--doc')
    a = ap.parse_args()
    meta, rows = json.load(open(a.meta)), load(a.results)
    body = section(rows, meta)
    if a.standalone:
        open(a.standalone, 'w').write(body)
        return
    mode = meta['mode']
    old = open(a.doc).read() if os.path.exists(a.doc) else ''
    sections = dict(re.findall(r'<!-- bench:(\w+) -->\n(.*?)<!-- /bench:\1 -->', old, re.S))
    sections[mode] = body
    doc = HEADER
    for m in ['all', 'ingest', 'storage', 'query']:
        if m in sections:
            doc += f'\n<!-- bench:{m} -->\n{sections[m]}<!-- /bench:{m} -->\n'
    open(a.doc, 'w').write(doc)


if __name__ == '__main__':
    main()
