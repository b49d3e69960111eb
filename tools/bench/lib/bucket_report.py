#!/usr/bin/env python3
"""Writes the bucket benchmark's section into docs/benchmarks.md (tools/bench/bucket.sh).

Input: the JSON lines bucket.sh and query_bench.py appended (upload figures, per-rep query
latencies, equality checks, RSS samples). Replaces (or appends) the <!-- bench:bucket -->
section, keeping the rest of the document."""
import argparse, json, statistics


def pct(values, p):
    """Nearest-rank percentile."""
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100 * len(v) + 0.5)) - 1))
    return v[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--results', required=True)
    ap.add_argument('--doc', required=True)
    ap.add_argument('--header', required=True, help='lines printed under the title')
    a = ap.parse_args()
    rows = [json.loads(l) for l in open(a.results) if l.strip()]
    lat = {}
    for r in rows:
        if r.get('section') == 'query':
            lat.setdefault((r['figure'].split(':', 1)[1], r['system']), []).append(r['value'])
    systems = []
    for r in rows:
        if r.get('section') == 'query' and r['system'] not in systems:
            systems.append(r['system'])
    queries = []
    for r in rows:
        if r.get('section') == 'query':
            q = r['figure'].split(':', 1)[1]
            if q not in queries:
                queries.append(q)
    out = ['<!-- bench:bucket -->', '## Run: `tools/bench/bucket.sh`', '']
    out += a.header.strip().split('\n') + ['']
    out += ['### Upload (bucket_uploader shipping the blocks found at start)', '',
            '| bucket | blocks | MB | seconds | MB/s |', '|---|---|---|---|---|']
    for r in rows:
        if r.get('section') == 'upload':
            out.append(f"| {r['bucket']} | {r['blocks']} | {r['bytes'] / 1e6:.0f} | "
                       f"{r['seconds']:.1f} | {r['bytes'] / 1e6 / r['seconds']:.1f} |")
    reps = max((len(v) for v in lat.values()), default=0)
    out += ['', f'### Query latency (`query_range`, ms, median / p99 of {reps}; the first, cold '
            'run of each query is not counted)', '',
            '| query | ' + ' | '.join(systems) + ' | ' +
            ' | '.join(f'{s} / {systems[0]}' for s in systems[1:]) + ' |',
            '|---' * (1 + 2 * len(systems) - 1) + '|']
    for q in queries:
        cells, meds = [], []
        for s in systems:
            v = lat.get((q, s), [])
            if v:
                meds.append(statistics.median(v))
                cells.append(f'{statistics.median(v):.1f} / {pct(v, 99):.1f}')
            else:
                meds.append(None)
                cells.append('failed')
        ratios = [f'{m / meds[0]:.2f}x' if m and meds[0] else 'n/a' for m in meds[1:]]
        out.append(f'| `{q}` | ' + ' | '.join(cells) + ' | ' + ' | '.join(ratios) + ' |')
    checks = [r for r in rows if r.get('section') == 'query_check']
    bad = [c for c in checks if not c['ok']]
    out += ['', f'Answers: {len(checks) - len(bad)} of {len(checks)} query results identical to '
            f'the local block store\'s (labels, timestamps, values).' +
            ('' if not bad else ' Mismatches: ' + ', '.join(f"{c['query']} ({c['other']})"
                                                             for c in bad))]
    out += ['', '### Memory (VmRSS, MB)', '', '| system | after start | peak during queries |',
            '|---|---|---|']
    for r in rows:
        if r.get('section') == 'rss':
            out.append(f"| {r['system']} | {r['start_kb'] / 1024:.0f} | {r['peak_kb'] / 1024:.0f} |")
    out += ['<!-- /bench:bucket -->']
    section = '\n'.join(out) + '\n'
    doc = open(a.doc).read()
    b, e = '<!-- bench:bucket -->', '<!-- /bench:bucket -->'
    if b in doc and e in doc:
        doc = doc[:doc.index(b)] + section.rstrip('\n') + doc[doc.index(e) + len(e):]
    else:
        doc = doc.rstrip('\n') + '\n\n' + section
    open(a.doc, 'w').write(doc)
    return 1 if bad else 0


if __name__ == '__main__':
    raise SystemExit(main())
