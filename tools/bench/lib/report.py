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
samples/s where above 1 is better). The machine is small and some runs shared it with other
builds and tests: read the load averages, and treat differences under ~20% as noise.
Each run's section starts with the goals of issues 4, 5 and 6 that its figures decide,
decided by the medians (computed by `tools/bench/lib/report.py`, not written by hand).

## How to rerun

```sh
apt-get install -y prometheus prometheus-node-exporter victoria-metrics  # 2.42, 1.5, 1.79
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
ninja -C build strata strata-avalanche strata-parse-bench \\
  lib/strata/plugins/receiver_remote_write.so lib/strata/plugins/storage_block_store.so \\
  lib/strata/plugins/query_promql_api.so lib/strata/plugins/exporter_debug.so \\
  lib/strata/plugins/receiver_prometheus_scrape.so \\
  lib/strata/plugins/processor_external_labels.so lib/strata/plugins/exporter_remote_write.so
tools/bench/run.sh all          # 10,000 series; or any of: ingest scrape storage query restart
BENCH_SERIES=100000 BENCH_SAMPLES=60 BENCH_QUERY_SAMPLES=240 tools/bench/run.sh ingest query
BENCH_SERIES=100000 BENCH_SAMPLES=60 tools/bench/run.sh restart
tools/bench/run.sh smoke        # tiny sizes of every phase, < 2 min, CTest integration.bench_smoke
```

The ingest phase (also in `all` and `smoke`) sends the same load to Strata a second time over
remote write 2.0 (`strata-avalanche remote-write --protocol=2.0`); the peers take only 1.0.

Each command writes its own section (keyed by its phases and `BENCH_SERIES`, e.g.
`<!-- bench:scrape-10000 -->`) and keeps the others.

Sizes: `BENCH_SERIES` (10000), `BENCH_SAMPLES` (240 per series at 15 s: ingest and storage),
`BENCH_QUERY_SAMPLES` (1440 = 6 h: the query phase), `BENCH_REPS` (3), `BENCH_QUERY_REPS` (5),
`BENCH_CONNECTIONS` (4), `BENCH_SERIES_PER_REQUEST` (2000), `BENCH_QUERY_BLOCK_DURATION` (2h);
scrape: `BENCH_PARSE_SERIES` (100000), `BENCH_PARSE_REPS` (5), `BENCH_SCRAPE_INTERVAL` (5 s),
`BENCH_SCRAPES` (10); restart: `BENCH_RESTART_SIGNAL` (KILL), `BENCH_SELECT_REPS` (10);
`STRATA_BUILD` picks the build dir, `BENCH_DOC` the output file. The data: `strata-avalanche`
(tools/bench/avalanche), 10 metric families (2 classic histograms with 8 `le` buckets, 4
gauges random-walking with 2-3 decimals, 4 counters growing by varied integer or 3-decimal
amounts), 3 labels of cardinality 10 plus `series_id`, seed 1; the same bytes for every
system. It is sent as remote write 1.0 (ingest: to Strata also as 2.0) in time order (each
request: one step of 2,000 series), each connection owning a fixed share of the series and
kept within 8 steps (2 min of data time) of the slowest connection, as the shards of a real
sender advance together.

Strata runs the all-in-one shape on one port: `remote_write` (`ack: delivered`, as
`pipelines/central-receiver.yaml` and `all-in-one.yaml` ship it: a 2xx means the block store
committed the samples to its WAL) -> `block_store` -> `promql_api` (`sources: [block_store]`).
After each ingest (1.0 and 2.0) the driver checks `strata_block_store_samples_appended_total`
equals the samples sent and nothing was refused.

What each figure is:
- **samples/s**: samples the server acknowledged (2xx) / wall seconds of the send, over
  keep-alive connections, bodies built and compressed before the clock starts.
- **CPU-s per million samples**: utime+stime of the server process (`/proc/PID/stat`) from
  idle before the send until it is idle again after (background merges count).
- **remote write 2.0 ingest** (Strata only): the same figures for the same data and load
  sent as `io.prometheus.write.v2.Request` (one symbol table per request, `""` at index 0;
  each series' family type as metadata: counter, gauge, or histogram for the classic `le`
  buckets), snappy, `Content-Type: application/x-protobuf;proto=io.prometheus.write.v2.Request`,
  `X-Prometheus-Remote-Write-Version: 2.0.0`, beside Strata's 1.0 figures of the same run,
  with the request bytes per sample of both. The sender compares every 2xx answer's
  `X-Prometheus-Remote-Write-Samples-Written` with the samples of its request; a difference,
  or a 2.0 answer without it, fails the run. Prometheus 2.42 and VictoriaMetrics 1.79 have no
  2.0 receiver (they would read a 2.0 body as an empty 1.0 request): n/a.
- **peak RSS**: `VmHWM` after the ingest; **RSS growth per active series** (head memory):
  (`VmRSS` after the ingest - `VmRSS` at idle) / series. For Strata and Prometheus all of it
  is the head (1 h of data, no block cut yet).
- **bytes per sample at rest**: bytes of the TSDB blocks / the samples their `meta.json`
  counts (`tools/bench/lib/blocks.py`), split into chunk files and index. Prometheus: the
  blocks `promtool tsdb create-blocks-from openmetrics` builds from the same data as an
  OpenMetrics file (2.42 cannot be told to compact its head over the API). Strata: the blocks
  its block_store wrote (see each run for how they were sealed). VictoriaMetrics: its whole
  data dir after `/internal/force_flush`, `/internal/force_merge` and a clean stop. The data
  starts on a 2 h boundary so every system's blocks hold all of it.
- **query latency**: `/api/v1/query_range` wall time per query, one untimed warm-up, then
  median and p90 over the repetitions; VictoriaMetrics with `nocache=1` (no result cache).
  Before the queries each system is idle again (Prometheus' head compaction, Strata's block
  cuts and VictoriaMetrics' merges done). Results are compared with Prometheus': Strata
  **exactly** (same label sets with `__name__`, same timestamps, values within 1e-9
  relative; a mismatch fails the run), VictoriaMetrics within the query's tolerance (10% for
  rate-type queries: MetricsQL does not extrapolate like PromQL, by design).
- **exposition parsing** (`run.sh scrape`, `tools/bench/parse_bench`): the prometheus_scrape
  receiver's parser (`exposition_parser.cc`, text format 0.0.4, a handler that only counts the
  samples and sums their values: no labels hashed, nothing stored) over a body held in memory,
  as many passes as fit in 0.5 s of the thread's CPU time, MB (10^6 bytes) and samples per
  CPU-second; beside it, over the same buffer, the limit of a plain memory scan: `memchr`
  counting the newlines and a loop summing every byte. Inputs, captured at run time and not
  kept: a real prometheus-node-exporter 1.5 `/metrics` on loopback (this machine's, a few
  hundred series), and `BENCH_PARSE_SERIES` series of the data below from `strata-avalanche
  serve`. Median of `BENCH_PARSE_REPS`, the three methods interleaved. No Go toolchain or
  Prometheus source is on this machine, so Prometheus' own parser (Go `textparse`) is not
  timed here; the agents' CPU-s per scrape below compares the whole scrape path instead.
- **edge agent memory** (`run.sh scrape`): Strata runs `pipelines/edge-agent.yaml` as
  shipped (prometheus_scrape -> remote_write exporter, which adds the external labels and
  queues in its durable RocksDB queue), configured only by its `STRATA_*` variables; Prometheus 2.42 runs in agent
  mode (`--enable-feature=agent`) with the same shape: both scrape a `strata-avalanche serve`
  target of `BENCH_SERIES` series (the data below, values stepping every interval) and
  themselves, every `BENCH_SCRAPE_INTERVAL`, with the same external labels, and remote-write
  to one VictoriaMetrics (the sink, shared, not measured). After 2 warm-up intervals and
  `BENCH_SCRAPES` more: `VmRSS`, `VmHWM`, and CPU-s per scrape (utime+stime of the agent over
  the measured intervals / their number: scraping, parsing, queueing and sending, self-scrape
  included). The run then checks the sink holds every target series from that agent run.
  The agents alternate (Strata, Prometheus, Strata, ...) over `BENCH_REPS`.
- **restart with a full head** (`run.sh restart`): each system ingests `BENCH_SERIES` x
  `BENCH_SAMPLES` (ending now) by the same remote write load, is stopped by `SIGKILL` (a
  crash; `BENCH_RESTART_SIGNAL=TERM` for a clean stop) and started again on the same data
  dir. Strata's block_store has `seal_head_on_stop: false` and 2 h blocks, so all of it is
  in the head and is rebuilt from the RocksDB WAL; Prometheus replays its WAL;
  VictoriaMetrics reopens its parts (1.79 keeps the newest rows in memory for a few seconds
  and a kill loses them, so before the kill the driver calls `/internal/force_flush` and
  waits until its parts on disk hold every sample).
  **ready**: seconds from the start of the new process until `/-/ready` answers 200
  (VictoriaMetrics: `/health`), polled every 10 ms; **queryable**: until
  `count({__name__=~"avalanche_.+"})` at the last sample answers the full series count; then
  (untimed) the run checks that every sample sent is back. CPU-s: the new process's
  utime+stime until queryable; RSS: `VmRSS` then; data dir: its size at the kill.
- **select latency** (`run.sh restart`, after its last repetition, on the restarted
  systems: the data in Strata's and Prometheus' heads): `tools/bench/selects.txt`, raw
  selectors without functions or aggregation, `/api/v1/query` instant at the last sample
  (+7 s off the grid; `x[1m]` returns the raw samples of the last minute) and
  `/api/v1/series` over the last 5 minutes; wall time of the HTTP request, so it includes
  encoding the JSON answer. One untimed warm-up, median and p90 of `BENCH_SELECT_REPS`,
  interleaved; every system's answer must equal Prometheus' (label sets, timestamps, values).

Not measured yet: remote write 2.0's native histograms and exemplars (the generator sends
float samples only); Prometheus' own exposition parser (no Go here, see above); the agents'
memory at other series counts or scrape intervals (one size, 10,000 series at 5 s, is run);
restart time at a head older than one block range (a head with a checkpoint: the data here
spans at most 1 h); select latency over sealed blocks (the selects run on the head). Append
throughput per CPU-second (issue 5) is the inverse of the ingest CPU-s per million samples.
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


def ingest_rw2_table(rows, meta):
    """Strata over remote write 2.0 beside its own 1.0 figures; the peers cannot take 2.0."""
    if not any(r.get('section') == 'ingest_rw2' for r in rows):
        return ''
    out = [f"### Ingest over remote write 2.0 (Strata only, the same data and load: "
           f"{meta['series_per_request']} series per request, {meta['connections']} "
           f"connections)\n",
           '| figure | Strata, 2.0 | Strata, 1.0 (above) | Strata 2.0/1.0 | Prometheus 2.42 | '
           'VictoriaMetrics 1.79 |',
           '|---|---|---|---|---|---|']
    figures = INGEST + [('wire_bytes_per_sample', 'request bytes per sample (snappy)', 2, False)]
    for fig, title, digits, _ in figures:
        v2, v1 = values(rows, 'ingest_rw2', 'strata', fig), values(rows, 'ingest', 'strata', fig)
        out.append(f"| {title} | {cell(v2, digits)} | {cell(v1, digits)} | {ratio(v2, v1)} | "
                   f"n/a | n/a |")
    out.append('\nPrometheus 2.42 and VictoriaMetrics 1.79 do not accept remote write 2.0 (both '
               'would read a 2.0 body as an empty 1.0 request): n/a. Each 2.0 send ran right '
               'after Strata\'s 1.0 send of the same repetition, on a fresh data dir; every '
               'answer\'s `X-Prometheus-Remote-Write-Samples-Written` equalled the samples of its '
               'request' + (', and `strata_block_store_samples_appended_total` the samples sent, '
                            'as for 1.0.' if meta['strata_store'] == 'block_store' else
                            '; no block_store plugin built: nothing was stored.'))
    return '\n'.join(out) + '\n'


def storage_table(rows, meta):
    if not any(r.get('section') == 'storage' for r in rows):
        return ''
    v = lambda s, f: values(rows, 'storage', s, f)
    out = ['### Storage at rest\n',
           '| figure | Strata | Prometheus | VictoriaMetrics | Strata/Prom | Strata/VM |',
           '|---|---|---|---|---|---|']
    for fig, title, digits in [('bytes_per_sample', 'bytes per sample at rest', 3),
                               ('chunk_bytes_per_sample', '&nbsp;&nbsp;of which chunks', 3),
                               ('index_bytes_per_sample', '&nbsp;&nbsp;of which index', 3),
                               ('block_samples', 'samples in the blocks measured', 0),
                               ('blocks', 'blocks measured', 0)]:
        st, pr, vm = v('strata', fig), v('prometheus', fig), v('victoriametrics', fig)
        if not (st or pr or vm):
            continue
        ratios = (ratio(st, pr), ratio(st, vm)) if fig.endswith('per_sample') else ('', '')
        out.append(f"| {title} | {cell(st, digits)} | {cell(pr, digits)} | "
                   f"{cell(vm, digits) if vm else '-'} | {ratios[0]} | {ratios[1]} |")
    dd = v('strata', 'data_dir_bytes_per_sample')
    bs = meta.get('storage_block_s') or 0
    notes = [f"Data: {meta['series']:,} series x {meta['samples']} samples at "
             f"{meta['interval_s']} s starting on a 2 h boundary. Prometheus: the blocks "
             "`promtool tsdb create-blocks-from openmetrics` writes from the same data (2 h "
             "blocks). VictoriaMetrics: its whole data dir after force_flush, force_merge and a "
             "clean stop (no index/chunk split)."]
    if meta['strata_store'] != 'block_store':
        notes.append('Strata: n/a, no block_store plugin in this build.')
    elif meta.get('storage_seal') == 'on_stop':
        notes.append(
            "Strata: the blocks its block_store wrote (default 2 h `block_duration`, "
            "`seal_head_on_stop: true`: the whole head sealed at the clean stop), bytes / "
            "`stats.numSamples` of their meta.json; the same block span as Prometheus'. The "
            f"whole data dir (blocks, WAL, head chunk files) after the stop: {cell(dd, 2)} bytes "
            "per ingested sample.")
    else:
        notes.append(
            f"Strata: the blocks its block_store sealed, `block_duration: {bs // 60}m` (the "
            f"longest divisor of 2 h that the data span exceeds 1.5 times, the store's cut "
            f"rule), after a clean stop; bytes / `stats.numSamples` of their meta.json. Its "
            f"blocks hold {bs // meta['interval_s']} samples per series where Prometheus' hold "
            f"{meta['samples']}, so the index weighs more per sample in Strata's blocks: compare "
            f"the chunk lines for the encoding itself. The whole data dir (WAL and head "
            f"included) after the stop: {cell(dd, 2)} bytes per ingested sample.")
    return '\n'.join(out) + '\n\n' + '\n\n'.join(notes) + '\n'


def parse_table(rows, meta):
    prs = [r for r in rows if r.get('section') == 'parse']
    if not prs:
        return ''
    pv = lambda i, f: [r['value'] for r in prs if r['input'] == i and r['figure'] == f]
    med = lambda i, f: statistics.median(pv(i, f)) if pv(i, f) else None
    titles = {'node_exporter': 'node-exporter 1.5 `/metrics` (this machine)',
              'synthetic': f"strata-avalanche, {meta.get('parse_series', 0):,} series"}
    out = [f"### Exposition parsing (text 0.0.4, per CPU-second, median of "
           f"{meta.get('parse_reps', 0)})\n",
           '| exposition | bytes | samples | Strata parser, MB/s | Strata parser, samples/s | '
           'memchr newlines, MB/s | byte sum, MB/s | parser / memchr | parser / byte sum |',
           '|---|---|---|---|---|---|---|---|---|']
    for i in dict.fromkeys(r['input'] for r in prs):
        p, m, b = med(i, 'parse_mb_s'), med(i, 'memchr_mb_s'), med(i, 'sum_mb_s')
        out.append(f"| {titles.get(i, i)} | {med(i, 'bytes'):,.0f} | {med(i, 'samples'):,.0f} | "
                   f"{cell(pv(i, 'parse_mb_s'), 1)} | {cell(pv(i, 'parse_samples_s'), 0)} | "
                   f"{cell(pv(i, 'memchr_mb_s'), 0)} | {cell(pv(i, 'sum_mb_s'), 0)} | "
                   f"{p / m:.3f} | {p / b:.3f} |")
    return '\n'.join(out) + '\n'


def agent_table(rows, meta):
    if not any(r.get('section') == 'agent' for r in rows):
        return ''
    v = lambda s, f: values(rows, 'agent', s, f)
    out = [f"### Edge agent, {meta['series']:,} scraped series every "
           f"{meta.get('scrape_interval_s')} s (after {meta.get('scrapes')} + 2 scrapes)\n",
           '| figure | Strata edge agent | Prometheus agent | Strata/Prom |', '|---|---|---|---|']
    for fig, title, digits in [('rss_mb', 'RSS, MB (VmRSS)', 1),
                               ('hwm_mb', 'peak RSS, MB (VmHWM)', 1),
                               ('cpu_s_per_scrape', 'CPU-s per scrape interval', 3),
                               ('series_delivered', 'target series at the sink', 0)]:
        st, pr = v('strata', fig), v('prometheus', fig)
        out.append(f"| {title} | {cell(st, digits)} | {cell(pr, digits)} | "
                   f"{ratio(st, pr) if fig != 'series_delivered' else ''} |")
    return '\n'.join(out) + '\n'


def restart_table(rows, meta):
    if not any(r.get('section') == 'restart' for r in rows):
        return ''
    v = lambda s, f: values(rows, 'restart', s, f)
    sig = 'SIGKILL' if meta.get('restart_signal') == 'KILL' else 'SIGTERM'
    out = [f"### Restart with a full head ({sig}, {meta['series']:,} series x "
           f"{meta['samples']} samples in the head)\n",
           '| figure | Strata | Prometheus | VictoriaMetrics | Strata/Prom | Strata/VM |',
           '|---|---|---|---|---|---|']
    for fig, title, digits in [('ready_s', 'seconds until ready (200)', 2),
                               ('queryable_s', 'seconds until queryable (all series)', 2),
                               ('cpu_s', 'CPU-s of the restart, until queryable', 2),
                               ('rss_mb', 'RSS when queryable, MB', 1),
                               ('data_mb', 'data dir at the kill, MB', 1)]:
        st, pr, vm = (v(s, fig) for s in SYSTEMS)
        out.append(f"| {title} | {cell(st, digits)} | {cell(pr, digits)} | {cell(vm, digits)} | "
                   f"{ratio(st, pr)} | {ratio(st, vm)} |")
    return '\n'.join(out) + '\n'


def select_table(rows, meta):
    checks = [r for r in rows if r.get('section') == 'select_check']
    if not checks:
        return ''
    out = [f"### Select latency (raw selectors, ms, median / p90 of {meta.get('select_reps')})\n",
           f"On the restarted systems of the last repetition above ({meta['series']:,} series "
           f"x {meta['samples']} samples, in Strata's and Prometheus' heads).\n",
           '| selector | API | Strata | Prometheus | VictoriaMetrics | Strata/Prom | Strata/VM | '
           'series (Prom) | Strata = Prom | VM = Prom |',
           '|---|---|---|---|---|---|---|---|---|---|']
    by_query = {}
    for c in checks:
        by_query.setdefault(c['query'], {})[c['other']] = c
    def ok(c):
        if c is None:
            return 'n/a'
        if c.get('error'):
            return f"**FAILED**: {c['error'][:80]}"
        return 'yes' if c['ok'] else f"**NO** ({c['series_other']} series, {c['series_equal']} equal)"
    for qid, cs in by_query.items():
        c0 = next(iter(cs.values()))
        st, p, vm = (values(rows, 'select', s, 'latency_ms:' + qid) for s in SYSTEMS)
        api = 'query (instant)' if c0['kind'] == 'instant' else 'series (5m)'
        out.append(f"| `{c0['expr']}` | {api} | {lat(st)} | {lat(p)} | {lat(vm)} | "
                   f"{ratio(st, p)} | {ratio(st, vm)} | {c0['series_ref']} | "
                   f"{ok(cs.get('strata'))} | {ok(cs.get('victoriametrics'))} |")
    return '\n'.join(out) + '\n'


def p90(vals):
    s = sorted(vals)
    return s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))]


def lat(v):
    return f'{statistics.median(v):.1f} / {p90(v):.1f}' if v else 'n/a'


def check_cell(c):
    if c is None:
        return 'n/a'
    if c.get('error'):
        return f"**FAILED**: {c['error'][:80]}"
    d = c['max_rel_diff']
    return f"{'yes' if c['ok'] else '**NO**'} ({c['series_other']} series, {d:.0e})"


def query_table(rows, meta):
    checks = [r for r in rows if r.get('section') == 'query_check']
    if not checks:
        return ''
    out = [f"### Query latency (`query_range`, ms, median / p90 of {meta['query_reps']})\n",
           f"Data: {meta['series']:,} series x {meta['query_samples']} samples at "
           f"{meta['interval_s']} s ({meta['query_samples'] * meta['interval_s'] / 3600:g} h), "
           f"ending at the start of the phase. Strata: remote_write -> block_store "
           f"(`block_duration: {meta['query_block_duration']}`; "
           f"{cell(values(rows, 'query', 'strata', 'sealed_blocks'), 0)} blocks sealed, the "
           f"rest in the head) -> promql_api, one port.\n",
           '| query | range / step | Strata | Prometheus | VictoriaMetrics | Strata/Prom | '
           'Strata/VM | series (Prom) | Strata = Prom (exact, 1e-9) | VM = Prom (tol) |',
           '|---|---|---|---|---|---|---|---|---|---|']
    by_query = {}
    for c in checks:
        by_query.setdefault(c['query'], {})[c['other']] = c
    for qid, cs in by_query.items():
        c0 = next(iter(cs.values()))
        fig = 'latency_ms:' + qid
        st, p, vm = (values(rows, 'query', s, fig) for s in SYSTEMS)
        vmc = cs.get('victoriametrics')
        vm_check = check_cell(vmc) + (f" (tol {vmc['tolerance']:g})" if vmc else '')
        out.append(f"| `{c0['expr']}` | {c0['range_s'] // 60}m / {c0['step_s']}s | {lat(st)} | "
                   f"{lat(p)} | {lat(vm)} | {ratio(st, p)} | {ratio(st, vm)} | "
                   f"{c0['series_ref']} | {check_cell(cs.get('strata'))} | {vm_check} |")
    return '\n'.join(out) + '\n'


def goals(rows, meta):
    """Each promise of issues 4/5/6 these figures can decide, decided by the medians."""
    med = lambda sec, s, f: (statistics.median(values(rows, sec, s, f))
                             if values(rows, sec, s, f) else None)
    out = []
    def goal(text, a, b, factor=1.0):
        if a is None or b is None:
            out.append(f'- {text}: not measured in this run')
        else:
            met, lim = a <= b * factor, b * factor
            d = 4 if abs(a - lim) < 0.005 * max(abs(a), abs(lim)) else 2  # show why when close
            out.append(f"- {text}: **{'met' if met else 'not met'}** ({a:.{d}f} vs {lim:.{d}f})")
    st, pr, vm = (med('ingest', s, 'cpu_s_per_million') for s in SYSTEMS)
    if st is not None:
        goal('issue 4, ingest CPU-s per million samples <= VictoriaMetrics\'', st, vm)
        goal('issue 4, ingest CPU-s per million samples <= 1/3 of Prometheus\'', st, pr, 1 / 3)
    st, pr, vm = (med('storage', s, 'bytes_per_sample') for s in SYSTEMS)
    if st is not None or pr is not None:
        goal('issue 5, bytes per sample at rest <= Prometheus\'', st, pr)
        goal('issue 5 (aim), bytes per sample at rest <= VictoriaMetrics\'', st, vm)
    st, pr, vm = (med('ingest', s, 'rss_per_series_kb') for s in SYSTEMS)
    if st is not None:
        size = f"at {meta['series']:,} series" + \
            (' (the issue asks at 100,000)' if meta['series'] != 100000 else '')
        goal(f'issue 5, head RSS growth per series <= 1/2 of Prometheus\' {size}', st, pr, 0.5)
        goal(f'issue 5 (aim), head RSS growth per series <= VictoriaMetrics\' {size}', st, vm)
    st = med('agent', 'strata', 'rss_mb')
    if st is not None:
        goal(f"issue 4, edge agent RSS for {meta['series']:,} scraped series < 50 MB"
             + (' (the issue asks at 10,000)' if meta['series'] != 10000 else ''), st, 50.0)
    qids = sorted({r['query'] for r in rows if r.get('section') == 'query_check'})
    if qids:
        lat_m = lambda s, q: med('query', s, 'latency_ms:' + q)
        ok = [q for q in qids if lat_m('strata', q) is not None and lat_m('prometheus', q)
              is not None and lat_m('strata', q) < lat_m('prometheus', q)]
        vm_ok = [q for q in qids if lat_m('strata', q) is not None and
                 lat_m('victoriametrics', q) is not None and
                 lat_m('strata', q) <= lat_m('victoriametrics', q)]
        eq = [r for r in rows if r.get('section') == 'query_check' and r['other'] == 'strata']
        out.append(f"- issue 6, median faster than Prometheus on every query: "
                   f"**{'met' if len(ok) == len(qids) else 'not met'}** ({len(ok)} of {len(qids)})")
        out.append(f"- issue 6, at least as fast as VictoriaMetrics on most queries: "
                   f"**{'met' if 2 * len(vm_ok) > len(qids) else 'not met'}** "
                   f"({len(vm_ok)} of {len(qids)})")
        out.append(f"- issue 6, Strata's results equal Prometheus' (exact check): "
                   f"{sum(r['ok'] for r in eq)} of {len(eq)} queries")
    return '### Goals decided by these figures\n\n' + '\n'.join(out) + '\n' if out else ''


def source(meta):
    if not meta.get('source'):
        return ''
    dirty = meta.get('source_dirty', 0)
    return f" of commit {meta['source']}" + (
        f" with uncommitted changes to {dirty} files of core/ and plugins/ in the working tree"
        if dirty else '')


def command(meta):
    ph = meta.get('phases', meta['mode']).split()
    env = [f"BENCH_SERIES={meta['series']}"]
    if {'ingest', 'storage', 'restart'} & set(ph):
        env.append(f"BENCH_SAMPLES={meta['samples']}")
    if 'query' in ph:
        env.append(f"BENCH_QUERY_SAMPLES={meta['query_samples']}")
    if 'scrape' in ph:
        env += [f"BENCH_PARSE_SERIES={meta['parse_series']}",
                f"BENCH_SCRAPE_INTERVAL={meta['scrape_interval_s']}",
                f"BENCH_SCRAPES={meta['scrapes']}"]
    if 'restart' in ph:
        env.append(f"BENCH_RESTART_SIGNAL={meta['restart_signal']}")
    return ' '.join(env)


def reps(meta):
    ph = meta.get('phases', meta['mode']).split()
    out = []
    rep_phases = [p for p in ('ingest', 'storage', 'restart') if p in ph]
    if 'scrape' in ph:
        rep_phases.append('the agents')
    if rep_phases:
        out.append(f"{meta['reps']} repetitions of {', '.join(rep_phases)}")
    if 'scrape' in ph:
        out.append(f"{meta['parse_reps']} of parsing")
    if 'query' in ph:
        out.append(f"{meta['query_reps']} of each query")
    if 'restart' in ph:
        out.append(f"{meta['select_reps']} of each select")
    return ', '.join(out)


def section(rows, meta):
    ver = meta['versions']
    head = [f"## Run: `tools/bench/run.sh {meta['mode']}` at {meta['series']:,} series\n",
            f"- date: {meta['date']}, {meta['seconds']} s; machine: {meta['nproc']} cores "
            f"({meta['cpu']}), {meta['ram_gib']} GiB RAM; load average (1/5/15 min) "
            f"{meta['load_before']} before, {meta['load_after']} after",
            f"- versions: {ver['strata']} ({meta['build_type'] or 'default'} build{source(meta)}); "
            f"{ver['prometheus']}; {ver['victoriametrics']}",
            f"- command: `{command(meta)} tools/bench/run.sh {meta['mode']}`; {reps(meta)}\n"]
    parts = [goals(rows, meta), ingest_table(rows, meta), ingest_rw2_table(rows, meta),
             parse_table(rows, meta),
             agent_table(rows, meta), storage_table(rows, meta), query_table(rows, meta),
             restart_table(rows, meta), select_table(rows, meta)]
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
    # One section per command and size (all-10000, ingest+query-100000); others are kept.
    key = '+'.join(meta['mode'].split()) + f"-{meta['series']}"
    old = open(a.doc).read() if os.path.exists(a.doc) else ''
    sections = dict(re.findall(r'<!-- bench:([\w+]+-\d+) -->\n(.*?)<!-- /bench:\1 -->', old,
                               re.S))
    sections[key] = body
    # Hand-written notes on the committed runs (between these markers) survive a rerun.
    notes = re.search(r'<!-- notes -->\n.*?<!-- /notes -->\n', old, re.S)
    doc = HEADER + ('\n' + notes.group(0) if notes else '')
    for k in sorted(sections, key=lambda k: (int(k.rsplit('-', 1)[1]), k)):
        doc += f'\n<!-- bench:{k} -->\n{sections[k]}<!-- /bench:{k} -->\n'
    open(a.doc, 'w').write(doc)


if __name__ == '__main__':
    main()
