#!/usr/bin/env python3
"""tools/bench/connections.sh's figures: records its runs and renders its section.

  record  --out FILE --system S --rep R --phase P --load-json FILE --rc RC [--set K=V ...]
          appends one JSON line: the phase's /proc readings and conn-load's JSON object.
  render  --meta FILE --results FILE (--standalone FILE [--context-doc DOC] | --doc DOC)
          medians (min-max) per system, Strata/peer ratios, and every run's correctness;
          --doc replaces (or adds) the <!-- bench:connections-N --> section of
          docs/benchmarks.md and keeps the rest of the file as it is.
  verdict --results FILE
          exit 0 when every conn-load run exited 0 with every write acknowledged.
"""
import argparse, json, os, re, statistics, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import SYSTEMS, TITLES, cell, fmt, ratio  # noqa: E402  (the same formatting)

SHORT = {'strata': 'Strata', 'prometheus': 'Prom', 'victoriametrics': 'VM'}


def number(v):
    try:
        return int(v)
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return v


def cmd_record(a):
    row = {'system': a.system, 'rep': int(a.rep), 'phase': a.phase, 'rc': int(a.rc)}
    for kv in a.set or []:
        k, v = kv.split('=', 1)
        row[k] = number(v)
    load = None
    if a.load_json and os.path.exists(a.load_json) and os.path.getsize(a.load_json):
        try:
            load = json.load(open(a.load_json))
        except ValueError:
            load = None  # reported as "no output"
    row['load'] = load
    with open(a.out, 'a') as f:
        f.write(json.dumps(row) + '\n')


def load_rows(path):
    return [json.loads(l) for l in open(path) if l.strip()]


def probe(load, kind):
    """The probe of one kind: 'ready' (/-/ready or /health) or 'query' (/api/v1/query)."""
    for p in (load or {}).get('probes', []):
        is_query = '/api/v1/query' in p['url']
        if (kind == 'query') == is_query:
            return p
    return None


def non_2xx(counts):
    return {k: v for k, v in (counts or {}).items() if not k.startswith('2')}


def run_ok(r):
    """conn-load's own verdict plus the counts it is made of (for the idle phase: every writer
    connected and what was sent was acknowledged)."""
    ld = r.get('load')
    if r['phase'] == 'quiet':
        return True
    if ld is None:
        return False
    counts_ok = (ld['writes_acked'] == ld['writes_sent'] and ld['rejected'] == 0 and
                 ld['unacked_at_end'] == 0 and ld['never_connected'] == 0)
    if r['phase'] == 'idle':
        # conn-load exits 1 when no write was sent, which is the point of this phase: here
        # every writer connected, and the server held a descriptor for each when RSS was read.
        return (counts_ok and ld['connected'] == ld['connections'] and
                (r['rc'] == 0 or ld['writes_sent'] == 0) and
                r.get('fds', 0) - r.get('fds_before', 0) >= ld['connections'])
    return r['rc'] == 0 and counts_ok


class Runs:
    def __init__(self, rows):
        self.rows = rows
        self.by = {(r['system'], r['rep'], r['phase']): r for r in rows}
        self.reps = sorted({r['rep'] for r in rows})
        self.systems = [s for s in SYSTEMS if any(r['system'] == s for r in rows)]

    def get(self, s, rep, phase):
        return self.by.get((s, rep, phase))

    def figure(self, s, fig):
        """One value per repetition (None left out)."""
        out = []
        for rep in self.reps:
            v = self.one(s, rep, fig)
            if v is not None:
                out.append(v)
        return out

    def one(self, s, rep, fig):
        idle, load, few, quiet = (self.get(s, rep, p) for p in ('idle', 'load', 'few', 'quiet'))
        def cpu_per_m(r):
            if not r or not r.get('load') or not r['load'].get('samples_acked'):
                return None
            return r['cpu_ticks'] / r['clk_tck'] / (r['load']['samples_acked'] / 1e6)
        def pct(r):
            if not r or not r.get('wall_s'):
                return None
            return 100.0 * r['cpu_ticks'] / r['clk_tck'] / r['wall_s']
        def lat(r, kind, q):
            p = probe(r and r.get('load'), kind)
            return p[q] if p and p.get('count') else None
        if fig == 'rss_base_mb':
            return idle and idle['rss_before_kb'] / 1024
        if fig == 'rss_per_idle_conn':
            return idle and (idle['rss_kb'] - idle['rss_before_kb']) * 1024 / idle['connections']
        if fig == 'fds_opened':
            return idle and idle['fds'] - idle['fds_before']
        if fig == 'rss_load_mb':
            return load and load['rss_kb'] / 1024
        if fig in ('ready_p50', 'ready_p99', 'query_p50', 'query_p99'):
            return lat(load, fig.split('_')[0], fig.split('_')[1] + '_ms')
        if fig in ('few_ready_p99', 'few_query_p99'):
            return lat(few, fig.split('_')[1], 'p99_ms')
        if fig == 'write_p99':
            w = load and load.get('load') and load['load'].get('write_latency_ms')
            return w['p99'] if w and w.get('count') else None
        if fig == 'cpu_per_m_n':
            return cpu_per_m(load)
        if fig == 'cpu_per_m_few':
            return cpu_per_m(few)
        if fig == 'cpu_ratio':
            a, b = cpu_per_m(load), cpu_per_m(few)
            return a / b if a is not None and b else None
        if fig == 'cpu_pct_n':
            return pct(load)
        if fig == 'cpu_pct_few':
            return pct(few)
        if fig == 'cpu_pct_quiet':
            return pct(quiet)
        if fig in ('samples_s_n', 'samples_s_few'):
            r = load if fig == 'samples_s_n' else few
            if not r or not r.get('load') or not r.get('wall_s'):
                return None
            return r['load']['samples_acked'] / r['wall_s']
        if fig == 'bg_share_n':  # background CPU (quiet phase rate) as a share of the load phase's
            if not quiet or not load or not quiet.get('wall_s') or not load['cpu_ticks']:
                return None
            bg = quiet['cpu_ticks'] / quiet['wall_s'] * load['wall_s']
            return 100.0 * bg / load['cpu_ticks']
        raise KeyError(fig)


FIGURES = [
    # figure, title, digits, ratio?
    ('rss_base_mb', 'RSS before the connections, MB (VmRSS, 1 s after ready)', 1, True),
    ('rss_per_idle_conn', 'RSS per idle connection, bytes', 0, True),
    ('fds_opened', 'file descriptors the server opened for them', 0, False),
    ('ready_p50', '`/-/ready` p50 under the load, ms', 2, True),
    ('ready_p99', '`/-/ready` p99 under the load, ms', 2, True),
    ('query_p50', 'query p50 under the load, ms', 2, True),
    ('query_p99', 'query p99 under the load, ms', 2, True),
    ('write_p99', 'write p99 under the load (sent to 2xx), ms', 2, True),
    ('cpu_per_m_n', 'CPU-s per million samples, {n} connections', 1, True),
    ('cpu_per_m_few', 'CPU-s per million samples, {few} connections', 1, True),
    ('cpu_ratio', 'CPU ratio, {n} / {few} connections (per repetition)', 2, True),
    ('cpu_pct_n', 'server CPU, % of one core, {n} connections', 1, True),
    ('cpu_pct_few', 'server CPU, % of one core, {few} connections', 1, True),
    ('cpu_pct_quiet', 'server CPU with no client, % of one core', 2, True),
    ('bg_share_n', 'of which background (no-client rate), % of the {n}-connection CPU', 0, False),
    ('samples_s_n', 'acknowledged samples/s (wall of the run), {n} connections', 0, False),
    ('samples_s_few', 'acknowledged samples/s (wall of the run), {few} connections', 0, False),
    ('few_ready_p99', '`/-/ready` p99, {few} connections, ms', 2, True),
    ('few_query_p99', 'query p99, {few} connections, ms', 2, True),
    ('rss_load_mb', 'RSS after the {n}-connection load, MB', 1, True),
]


def main_table(runs, meta):
    peers = [s for s in runs.systems if s != 'strata']
    head = ['figure'] + [TITLES[s] for s in runs.systems]
    if 'strata' in runs.systems:
        head += [f'Strata/{SHORT[p]}' for p in peers]
    out = [f"### {meta['connections']:,} keep-alive clients (median of {len(runs.reps)}, "
           "min-max)\n", '| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for fig, title, digits, with_ratio in FIGURES:
        v = {s: runs.figure(s, fig) for s in runs.systems}
        cells = [title.format(n=f"{meta['connections']:,}", few=meta['few'])]
        cells += [cell(v[s], digits) for s in runs.systems]
        if 'strata' in runs.systems:
            cells += [ratio(v['strata'], v[p]) if with_ratio else '' for p in peers]
        out.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(out) + '\n'


def runs_table(runs, meta):
    out = ['### Every run (conn-load exit code and counts; a failure is shown, not dropped)\n',
           '| rep | system | phase | connections | exit | writers connected (at end) | '
           'writes acked / sent | rejected | timeouts | reconnects | non-2xx answers | '
           'probe errors / timeouts | ticks skipped |',
           '|---|---|---|---|---|---|---|---|---|---|---|---|---|']
    for rep in runs.reps:
        for s in runs.systems:
            for phase in ('idle', 'load', 'few'):
                r = runs.get(s, rep, phase)
                if r is None:
                    continue
                ld = r.get('load')
                mark = '' if run_ok(r) else ' **FAILED**'
                if ld is None:
                    out.append(f"| {rep} | {TITLES[s]} | {phase} | {r.get('connections', '')} | "
                               f"{r['rc']}{mark} | no output | | | | | | | |")
                    continue
                pe = sum(p['errors'] for p in ld.get('probes', []))
                pt = sum(p['timeouts'] for p in ld.get('probes', []))
                bad = non_2xx(ld.get('status_counts'))
                for p in ld.get('probes', []):
                    for k, n in non_2xx(p.get('status_counts')).items():
                        bad[f'probe {k}'] = bad.get(f'probe {k}', 0) + n
                out.append(
                    f"| {rep} | {TITLES[s]} | {phase} | {ld['connections']:,} | {r['rc']}{mark} | "
                    f"{ld['connected']:,} ({ld['connected_at_end']:,}) | "
                    f"{ld['writes_acked']:,} / {ld['writes_sent']:,} | {ld['rejected']} | "
                    f"{ld['timeouts']} | {ld['reconnects']} | "
                    f"{', '.join(f'{k}: {n}' for k, n in bad.items()) or 'none'} | "
                    f"{pe} / {pt} | {ld['ticks_skipped']} |")
    out.append('\nThe idle phase sends (almost) nothing by design, and conn-load exits 1 when no '
               'write was sent: an idle run counts as served when every writer connected and the '
               'server held a file descriptor for each when its RSS was read. Reconnects in it '
               'are connections the server closed while they waited for a first request.')
    return '\n'.join(out) + '\n'


def goals(runs, meta):
    if 'strata' not in runs.systems:
        return ''
    n = meta['connections']
    load_runs = [runs.get('strata', rep, 'load') for rep in runs.reps]
    all_acked = all(r is not None and run_ok(r) for r in load_runs)
    acked = sum((r.get('load') or {}).get('writes_acked', 0) for r in load_runs if r)
    sent = sum((r.get('load') or {}).get('writes_sent', 0) for r in load_runs if r)
    lines = ['### Goals decided by these figures (Strata)\n',
             f"- issue 14, every write of {n:,} keep-alive clients acknowledged (every "
             f"repetition): **{'met' if all_acked else 'not met'}** ({acked:,} of {sent:,})"]
    for fig, what in (('ready_p99', '`/-/ready`'), ('query_p99', 'a query')):
        v = runs.figure('strata', fig)
        if v:
            worst = max(v)
            rep = next(r for r in runs.reps if runs.one('strata', r, fig) == worst)
            lines.append(f"- issue 14, {what} p99 under 100 ms under the load (every repetition): "
                         f"**{'met' if worst < 100 and len(v) == len(runs.reps) else 'not met'}** "
                         f"(worst {worst:.2f} ms, repetition {rep}; median {statistics.median(v):.2f} ms)")
    v = runs.figure('strata', 'rss_per_idle_conn')
    if v:
        m = statistics.median(v)
        lines.append(f"- issue 14 (aim), RSS per idle connection under 64 KB: "
                     f"**{'met' if m < 65536 else 'not met'}** ({m:,.0f} bytes)")
    return '\n'.join(lines) + '\n'


def ingest_context(doc):
    """The 4-connection ingest CPU figure of the newest ingest section in DOC, for context."""
    if not doc or not os.path.exists(doc):
        return None
    text = open(doc).read()
    best = None
    for key, body in re.findall(r'<!-- bench:([\w+]+-\d+) -->\n(.*?)<!-- /bench:\1 -->', text, re.S):
        row = re.search(r'^\| CPU-s per million samples \(server\) \| ([^|]+) \| ([^|]+) \| '
                        r'([^|]+) \|', body, re.M)
        date = re.search(r'- date: (\S+),', body)
        commit = re.search(r'build of commit (\w+)', body)
        spr = re.search(r'### Ingest \(remote write 1\.0, (\d+) series per request, (\d+) conn', body)
        if not row or not date:
            continue
        if best is None or date.group(1) > best['date']:
            best = {'key': key, 'date': date.group(1), 'commit': commit and commit.group(1),
                    'values': [c.strip() for c in row.groups()],
                    'spr': spr and spr.group(1), 'conns': spr and spr.group(2)}
    return best


def method(runs, meta, context):
    n, few = meta['connections'], meta['few']
    ready = {r['system']: r.get('ready_path') for r in runs.rows if r['phase'] == 'idle'}
    vm_ready = ready.get('victoriametrics') or '/-/ready'
    vm_re = [((r.get('load') or {}).get('reconnects', 0)) for r in runs.rows
             if r['system'] == 'victoriametrics' and r['phase'] == 'idle']
    vm_idle = ''
    if any(vm_re):
        vm_idle = (f"; it closes a new connection that has sent no request within 5 s (checked "
                   f"with a bare socket: closed after 5.0 s, while one that has carried a request "
                   f"stayed open; here {', '.join(map(str, vm_re))} reconnects in the idle "
                   f"runs, after the RSS reading at {meta['idle_read_s']} s, when its descriptors "
                   f"showed every connection held)")
    lines = [
        f"Strata: `build/bin/strata run`, the embedded all-in-one pipeline (remote_write with "
        f"`ack: delivered` -> block_store -> promql_api on one port, and its prometheus_scrape "
        f"of itself every 15 s; `STRATA_NODE_EXPORTER=127.0.0.1:1`, so the node job finds no "
        f"target). Prometheus 2.42: `--web.enable-remote-write-receiver "
        f"--web.max-connections={meta['prom_max_connections']}` and no scrape job" + (
            f": its default of 512 connections would leave {n + 2 - 512:,} of the {n + 2:,} "
            f"clients ({n:,} writers and the 2 probes) waiting in the accept queue, unserved"
            if n + 2 > 512 else "") + ". VictoriaMetrics 1.79: `-search.latencyOffset=0s`; " + (
            "it answers the Prometheus-compatible readiness path, so its probe is `/-/ready` like "
            "the others'" if vm_ready == '/-/ready' else
            f"it has no `/-/ready`, so its readiness probe is `{vm_ready}`") + vm_idle + ". "
        f"Each system ran on a fresh data dir and "
        f"loopback port, started in turn (Strata, Prometheus, VictoriaMetrics, then again), "
        f"stopped by SIGTERM; the load generator is `build/bin/conn-load` on the same 2 cores "
        f"(one thread, one epoll loop).",
        f"**RSS per idle connection**: `VmRSS` 1 s after the server was ready, then "
        f"`conn-load --connections {n} --connect-rate {meta['connect_rate']} --interval-ms "
        f"3600000 --duration-s {meta['idle_s']}` (all connections opened and held; writer w's "
        f"first write is due at w x 3600 s / {n:,}, so only the first few write anything) and "
        f"`VmRSS` again {meta['idle_read_s']} s into it: (after - before) / {n:,}. The file "
        f"descriptors the server opened meanwhile (`/proc/PID/fd`) show that it accepted the "
        f"connections (a TCP connect completes in the kernel's accept queue whether or not the "
        f"server ever accepts it).",
        f"**Under the load**: `conn-load --connections {n} --interval-ms {meta['interval_ms']} "
        f"--duration-s {meta['seconds_window']} --warmup-s {meta['warmup_s']}` (each writer a "
        f"5-series remote write 1.0 request every {meta['interval_ms'] // 1000} s on its own "
        f"keep-alive connection: {n * 5 * 1000 // meta['interval_ms']:,} samples/s in all) with "
        f"two probes every 200 ms, each on its own keep-alive connection: the readiness path "
        f"and `/api/v1/query?query=count(conn_load_samples)` (all {n * 5:,} series written). "
        f"Probe percentiles cover the {meta['seconds_window']} s window. **CPU-s per million "
        f"samples**: utime+stime of the server (`/proc/PID/stat`) read right before and right "
        f"after conn-load (ramp, warm-up, window and drain; the query probes' CPU included) / "
        f"the samples it acknowledged in that run. Then, on the same process, the same "
        f"samples/s and the same probes over {few} connections (`--connections {few} "
        f"--interval-ms {meta['few_interval_ms']}`, the same 5-series requests), for the same "
        f"time: the **{n:,} / {few} ratio** (per repetition, then the median) is what holding "
        f"and serving {n:,} connections costs over serving the same requests on {few}. The "
        f"{n:,}-connection run also pays for accepting the connections and for creating the "
        f"{n * 5:,} series (each writer's 5; the {few}-connection run writes {few * 5} of those "
        f"again), both real costs of that many clients. The background row is each server's "
        f"CPU over {meta['quiet_s']} s with no client after the runs (Strata's self-scrape, "
        f"VictoriaMetrics' flushes), as a share of the {n:,}-connection run's CPU at that rate: "
        f"the lower the rate, the more of a CPU-s per million samples figure it is.",
    ]
    if context:
        v = context['values']
        lines.append(
            f"For context only, not the same load: the ingest section `{context['key']}` "
            f"(commit {context['commit']}) measured {v[0]} CPU-s per million samples for Strata, "
            f"{v[1]} for Prometheus and {v[2]} for VictoriaMetrics over "
            f"{context['conns'] or 4} connections with {int(context['spr'] or 2000):,} series "
            f"per request sent as fast as accepted; here a request carries 5 samples at "
            f"{n * 5 * 1000 // meta['interval_ms']:,} samples/s in all, so the per-request cost "
            f"(HTTP, decompression, committing each request to storage) dominates.")
    return '\n\n'.join(lines) + '\n'


def machine(meta):
    busy = meta.get('busy_samples_busy', 0)
    if busy:
        others = (f"other builds or tests were running ({', '.join(meta.get('busy_kinds', []))} "
                  f"seen in {busy} of {meta['busy_samples']} samples taken every 5 s)")
    else:
        others = (f"no build or test (ninja, cc1plus, ctest) seen in {meta['busy_samples']} "
                  f"samples taken every 5 s")
    waited = ''
    if meta.get('waited_quiet_s'):
        waited = f"; started after waiting {meta['waited_quiet_s']} s for a quiet machine"
        if meta.get('busy_at_start'):
            waited += f" (limit reached, {meta['busy_at_start']} still running)"
    elif meta.get('busy_at_start'):
        waited = f"; {meta['busy_at_start']} running at the start"
    return (f"machine: {meta['nproc']} cores ({meta['cpu']}), {meta['ram_gib']} GiB RAM; load "
            f"average (1/5/15 min) {meta['load_before']} before, {meta['load_after']} after; "
            f"{others}{waited}")


def section(rows, meta, context_doc):
    runs = Runs(rows)
    v = meta['versions']
    dirty = (f", {meta['source_dirty']} uncommitted files in core/ and plugins/ then"
             if meta.get('source_dirty') else '')
    moved = ''
    if meta.get('source_end') and meta['source_end'] != meta['source']:
        moved = f"; HEAD moved to {meta['source_end']} during the run"
    fps = [r.get('build_fp') for r in rows if r['system'] == 'strata' and r['phase'] == 'idle']
    if any(f and f != meta.get('build_fp_start') for f in fps):
        changed = [str(r['rep']) for r in rows if r['system'] == 'strata' and
                   r['phase'] == 'idle' and r.get('build_fp') != meta.get('build_fp_start')]
        moved += (f"; **the shared build dir was rebuilt during the run**: Strata's repetition "
                  f"{', '.join(changed)} started from a newer build (newest file "
                  f"{meta.get('build_newest_end')}) than the first")
    elif meta.get('build_fp_end') and meta['build_fp_end'] != meta.get('build_fp_start'):
        moved += (f"; the build dir was rebuilt after Strata's last repetition had started "
                  f"(not used by this run)")
    n = meta['connections']
    head = [f"## Run: `tools/bench/connections.sh` at {n:,} connections\n",
            f"- date: {meta['date']}, {meta['seconds']} s; {machine(meta)}",
            f"- versions: {v['strata']} ({meta.get('build_type') or 'unknown'} build, its newest "
            f"binary or plugin from {meta.get('build_newest_start')}; HEAD {meta['source']} at "
            f"the start{dirty}{moved}); {v['prometheus']}; {v['victoriametrics']}",
            f"- command: `{meta['command']}`; {meta['reps']} repetition"
            f"{'s' if meta['reps'] != 1 else ''}, the systems "
            f"interleaved, each on a fresh data dir",
            f"- sizes: {n:,} writers x 5 series, a write every {meta['interval_ms'] // 1000} s "
            f"each ({n * 5 * 1000 // meta['interval_ms']:,} samples/s), windows of "
            f"{meta['seconds_window']} s after {meta['warmup_s']} s of warm-up; the same rate "
            f"over {meta['few']} connections (a write every {meta['few_interval_ms']} ms each); "
            f"probes every 200 ms\n"]
    failed = [r for r in rows if not run_ok(r)]
    fail_note = ''
    if failed:
        fail_note = ('\n**Not every run served every client**: ' + '; '.join(
            f"{TITLES[r['system']]} rep {r['rep']} {r['phase']} (exit {r['rc']})"
            for r in failed) + ' (see the table of every run).\n')
    body = '\n'.join(head) + '\n' + goals(runs, meta) + fail_note + '\n' + \
        main_table(runs, meta) + '\n' + runs_table(runs, meta) + '\n' + \
        method(runs, meta, ingest_context(context_doc))
    return body


def replace_section(doc_path, key, body):
    """Replaces or adds <!-- bench:KEY --> in DOC, keeping everything else as it is, in the
    order tools/bench/lib/report.py keeps sections (by size, then name)."""
    old = open(doc_path).read() if os.path.exists(doc_path) else '# Benchmarks\n'
    pat = r'<!-- bench:([\w+]+-\d+) -->\n(.*?)<!-- /bench:\1 -->\n'
    m = re.search(r'\n?<!-- bench:[\w+]+-\d+ -->\n', old)
    prefix = old[:m.start()] if m else old.rstrip('\n') + '\n'
    sections = dict(re.findall(pat, old, re.S))
    sections[key] = body
    doc = prefix
    for k in sorted(sections, key=lambda k: (int(k.rsplit('-', 1)[1]), k)):
        doc += f'\n<!-- bench:{k} -->\n{sections[k]}<!-- /bench:{k} -->\n'
    open(doc_path, 'w').write(doc)


def cmd_render(a):
    meta, rows = json.load(open(a.meta)), load_rows(a.results)
    if a.standalone:
        open(a.standalone, 'w').write(section(rows, meta, a.context_doc))
        return
    body = section(rows, meta, a.doc)
    replace_section(a.doc, f"connections-{meta['connections']}", body)


def cmd_verdict(a):
    rows = load_rows(a.results)
    bad = [r for r in rows if not run_ok(r)]
    for r in bad:
        ld = r.get('load') or {}
        print(f"not served: {r['system']} rep {r['rep']} {r['phase']}: exit {r['rc']}, "
              f"acked {ld.get('writes_acked')} of {ld.get('writes_sent')}, rejected "
              f"{ld.get('rejected')}, never connected {ld.get('never_connected')}",
              file=sys.stderr)
    sys.exit(1 if bad else 0)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('record')
    r.add_argument('--out', required=True)
    r.add_argument('--system', required=True)
    r.add_argument('--rep', required=True)
    r.add_argument('--phase', required=True)
    r.add_argument('--load-json')
    r.add_argument('--rc', default='0')
    r.add_argument('--set', nargs='*')
    g = sub.add_parser('render')
    g.add_argument('--meta', required=True)
    g.add_argument('--results', required=True)
    g.add_argument('--standalone')
    g.add_argument('--doc')
    g.add_argument('--context-doc')
    v = sub.add_parser('verdict')
    v.add_argument('--results', required=True)
    a = ap.parse_args()
    {'record': cmd_record, 'render': cmd_render, 'verdict': cmd_verdict}[a.cmd](a)


if __name__ == '__main__':
    main()
