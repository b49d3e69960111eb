#!/usr/bin/env python3
"""Query latency and result equality over the Prometheus HTTP API (query_range).

Runs every query of the set against every system, interleaved (q1: A B C, q1: A B C, ...),
after one untimed warm-up each; appends latencies and equality checks (every system against
the reference) as JSON lines. A system that fails a query is reported, the others go on.
Evaluation times sit 7 s off the sample grid so no sample lies on a window boundary
(Prometheus' windows include their start, MetricsQL's do not). Exit 1 if a query fails or
an equality check fails.
"""
import argparse, json, math, statistics, sys, time, urllib.parse, urllib.request


def load_queries(path):
    out = []
    for line in open(path):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        qid, rng, step, tol, expr = line.split('|', 4)
        out.append((qid, int(rng), int(step), float(tol), expr))
    return out


def run(base, system, expr, start, end, step):
    params = {'query': expr, 'start': f'{start:.3f}', 'end': f'{end:.3f}', 'step': str(step)}
    if system == 'victoriametrics':
        params['nocache'] = '1'  # no rollup result cache: both systems compute every time
    url = base + '/api/v1/query_range?' + urllib.parse.urlencode(params)
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        body = r.read()
    ms = (time.perf_counter() - t0) * 1000
    doc = json.loads(body)
    if doc.get('status') != 'success':
        raise RuntimeError(f'{system}: {doc.get("error")}')
    return ms, doc['data']['result']


def as_map(result, drop_name):
    m = {}
    for s in result:
        labels = dict(s['metric'])
        if drop_name:
            labels.pop('__name__', None)
        m[tuple(sorted(labels.items()))] = {float(t): float(v) for t, v in s['values']}
    return m


def compare(ref, other, tol, exact=False):
    """Series count equal; values within tol at common timestamps; >= 90% points common.

    exact: the same label sets (with __name__) and the same timestamps, for a system that
    implements Prometheus' semantics rather than MetricsQL's."""
    # MetricsQL keeps __name__ on some results where PromQL drops it: compare without it then.
    drop_name = not exact and not any('__name__' in s['metric'] for s in ref)
    a, b = as_map(ref, drop_name), as_map(other, drop_name)
    if len(a) != len(ref) or len(b) != len(other):
        return False, len(ref), len(other), math.inf, 0, 0  # label sets collapsed: not equal
    worst, common, total = 0.0, 0, 0
    for key, pts in a.items():
        total += len(pts)
        for t, v in pts.items():
            if key in b and t in b[key]:
                w = b[key][t]
                common += 1
                if math.isnan(v) != math.isnan(w):
                    worst = math.inf
                elif not math.isnan(v):
                    # Relative, but not below 1e-6: an average that is 0 in exact arithmetic
                    # comes out as 2e-16 in one system and 4e-17 in the other.
                    d = abs(v - w) / max(abs(v), abs(w), 1e-6) if v != w else 0.0
                    worst = max(worst, d)
    ok = set(a) == set(b) and worst <= tol and common >= 0.9 * total
    if exact:
        ok = ok and common == total == sum(len(p) for p in b.values())
    return ok, len(ref), len(other), worst, common, total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--queries', required=True)
    ap.add_argument('--first-ms', type=int, required=True)
    ap.add_argument('--last-ms', type=int, required=True)
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--out', required=True)
    ap.add_argument('--system', action='append', default=[], help='name=base_url')
    ap.add_argument('--ref', help='the system others are compared with (default: the first)')
    ap.add_argument('--exact', action='append', default=[],
                    help='name=tolerance: compared exactly (labels, timestamps), values within '
                         'this relative tolerance instead of the query\'s')
    a = ap.parse_args()
    systems = [s.split('=', 1) for s in a.system]
    names = [n for n, _ in systems]
    ref_name = a.ref if a.ref in names else names[0]
    exact = {n: float(t) for n, t in (e.split('=', 1) for e in a.exact)}
    end = a.last_ms / 1000 - 8  # 7 s past the grid
    failed = False
    with open(a.out, 'a') as out:
        for qid, rng, step, tol, expr in load_queries(a.queries):
            # Keep the window inside the data, with 5 min of history before the first step.
            start = max(end - rng, a.first_ms / 1000 + 300 + 7)
            start = end - ((end - start) // step) * step
            results, errors = {}, {}
            for name, base in systems:  # warm-up, and the results compared
                try:
                    results[name] = run(base, name, expr, start, end, step)[1]
                except Exception as e:  # noqa: BLE001 - report any failure of a system
                    errors[name] = str(e)
                    print(f'query {qid}: {name}: {e}', file=sys.stderr)
            for rep in range(a.reps):
                for name, base in systems:
                    if name in errors:
                        continue
                    try:
                        ms = run(base, name, expr, start, end, step)[0]
                    except Exception as e:  # noqa: BLE001
                        errors[name] = str(e)
                        continue
                    out.write(json.dumps({'section': 'query', 'system': name, 'figure':
                                          'latency_ms:' + qid, 'rep': rep, 'value': ms}) + '\n')
            for name in names:
                if name == ref_name:
                    continue
                row = {'section': 'query_check', 'query': qid, 'expr': expr,
                       'range_s': int(end - start), 'step_s': step, 'ref': ref_name,
                       'other': name, 'tolerance': exact.get(name, tol), 'exact': name in exact}
                if ref_name in errors or name in errors:
                    row.update(ok=False, error=errors.get(name) or errors.get(ref_name),
                               series_ref=len(results.get(ref_name, [])),
                               series_other=len(results.get(name, [])), max_rel_diff=None)
                    failed = True
                else:
                    ok, na, nb, worst, common, total = compare(
                        results[ref_name], results[name], row['tolerance'], name in exact)
                    row.update(ok=ok, series_ref=na, series_other=nb, max_rel_diff=worst,
                               common_points=common, points_ref=total)
                    print(f'query {qid}: {ref_name} {na} series, {name} {nb} series, max rel '
                          f'diff {worst:.2e} (tol {row["tolerance"]:g}), {common}/{total} points '
                          f'common: {"OK" if ok else "MISMATCH"}', file=sys.stderr)
                    # Strata must equal Prometheus; a peer's own differences (VictoriaMetrics'
                    # topk once kept another series at one step) are reported, not fatal,
                    # unless it answers with no data at all.
                    failed |= (not ok and name in exact) or na == 0 or nb == 0
                out.write(json.dumps(row) + '\n')
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
