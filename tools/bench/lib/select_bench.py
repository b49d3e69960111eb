#!/usr/bin/env python3
"""Select latency over the Prometheus HTTP API: raw selectors, no functions (run.sh restart).

Every selector of the set runs against every system, interleaved (s1: A B C, s1: A B C, ...),
after one untimed warm-up each, at one evaluation time; appends latencies and result checks
(every system against the reference: the same label sets, the same timestamps and values) as
JSON lines. Exit 1 if a query fails or a check fails.
"""
import argparse, json, sys, time, urllib.parse, urllib.request


def load(path):
    out = []
    for line in open(path):
        line = line.strip()
        if line and not line.startswith('#'):
            qid, kind, expr = line.split('|', 2)
            out.append((qid, kind, expr))
    return out


def run(base, system, kind, expr, at):
    if kind == 'instant':
        params = {'query': expr, 'time': f'{at:.3f}'}
        path = '/api/v1/query'
    else:
        params = {'match[]': expr, 'start': f'{at - 300:.3f}', 'end': f'{at:.3f}'}
        path = '/api/v1/series'
    if system == 'victoriametrics':
        params['nocache'] = '1'
    url = base + path + '?' + urllib.parse.urlencode(params)
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        body = r.read()
    ms = (time.perf_counter() - t0) * 1000
    doc = json.loads(body)
    if doc.get('status') != 'success':
        raise RuntimeError(f'{system}: {doc.get("error")}')
    return ms, doc['data']


def normalize(kind, data):
    """{label set: tuple of (t, v)} (series: {label set: ()})."""
    if kind == 'series':
        return {tuple(sorted(s.items())): () for s in data}
    out = {}
    for s in data['result']:
        pts = s['values'] if 'values' in s else [s['value']]
        out[tuple(sorted(s['metric'].items()))] = tuple((float(t), float(v)) for t, v in pts)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--selects', required=True)
    ap.add_argument('--at-ms', type=int, required=True, help='the last sample of the data')
    ap.add_argument('--reps', type=int, default=10)
    ap.add_argument('--out', required=True)
    ap.add_argument('--system', action='append', default=[], help='name=base_url')
    ap.add_argument('--ref', help='the system others are compared with (default: the first)')
    a = ap.parse_args()
    systems = [s.split('=', 1) for s in a.system]
    names = [n for n, _ in systems]
    ref = a.ref if a.ref in names else names[0]
    at = a.at_ms / 1000 + 7
    failed = False
    with open(a.out, 'a') as out:
        for qid, kind, expr in load(a.selects):
            results, errors = {}, {}
            for name, base in systems:
                try:
                    results[name] = normalize(kind, run(base, name, kind, expr, at)[1])
                except Exception as e:  # noqa: BLE001 - report any failure of a system
                    errors[name] = str(e)
                    print(f'select {qid}: {name}: {e}', file=sys.stderr)
            for rep in range(a.reps):
                for name, base in systems:
                    if name in errors:
                        continue
                    try:
                        ms = run(base, name, kind, expr, at)[0]
                    except Exception as e:  # noqa: BLE001
                        errors[name] = str(e)
                        continue
                    out.write(json.dumps({'section': 'select', 'system': name, 'figure':
                                          'latency_ms:' + qid, 'rep': rep, 'value': ms}) + '\n')
            for name in names:
                if name == ref:
                    continue
                row = {'section': 'select_check', 'query': qid, 'kind': kind, 'expr': expr,
                       'ref': ref, 'other': name}
                if ref in errors or name in errors:
                    row.update(ok=False, error=errors.get(name) or errors.get(ref),
                               series_ref=len(results.get(ref, {})),
                               series_other=len(results.get(name, {})))
                else:
                    r, o = results[ref], results[name]
                    same = sum(1 for k, v in r.items() if o.get(k) == v)
                    row.update(ok=r == o and len(r) > 0, series_ref=len(r), series_other=len(o),
                               series_equal=same)
                    print(f'select {qid}: {ref} {len(r)} series, {name} {len(o)}, {same} '
                          f'equal: {"OK" if row["ok"] else "MISMATCH"}', file=sys.stderr)
                failed |= not row['ok']
                out.write(json.dumps(row) + '\n')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
