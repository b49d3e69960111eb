#!/usr/bin/env python3
"""Compares strata's last complete scrape of each job with what Prometheus recorded.

argv: SCRAPED_FILE PROMETHEUS_URL. For each job, T = timestamp of strata's last `up` sample;
the series strata emitted at T must equal the series of an instant
query {job=...} at T (Prometheus' latest scrape at or before T), and the stable series must
have equal values. Exit 1 with the differences otherwise.
"""
import json
import math
import re
import sys
import urllib.parse
import urllib.request

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+) (-?\d+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')
# Families whose label sets change with requests to Prometheus itself between two scrapes.
VOLATILE_SERIES = re.compile(r'^(prometheus_http_|prometheus_engine_query_|go_gc_|'
                             r'prometheus_tsdb_head_|net_conntrack_)')
STABLE = ['node_uname_info', 'go_info', 'node_boot_time_seconds', 'prometheus_build_info',
          'node_cpu_count', 'node_os_info', 'node_exporter_build_info', 'up',
          'prometheus_config_last_reload_successful', 'node_memory_MemTotal_bytes',
          'prometheus_target_scrape_pool_targets']


def unescape(v):
    return v.replace('\\n', '\n').replace('\\"', '"').replace('\\\\', '\\')


def read_strata(path):
    by_ts = {}
    for line in open(path, encoding='utf-8'):
        m = LINE.match(line.rstrip('\n'))
        if not m:
            sys.exit('unparsable output line: ' + line)
        labels = {'__name__': m.group(1)}
        for k, v in LABEL.findall(m.group(3) or ''):
            labels[k] = unescape(v)
        by_ts.setdefault(int(m.group(5)), []).append((labels, m.group(4)))
    return by_ts


def key(labels):
    return tuple(sorted(labels.items()))


def query(url, q, t_ms):
    args = urllib.parse.urlencode({'query': q, 'time': '%.3f' % (t_ms / 1000.0)})
    with urllib.request.urlopen(url + '/api/v1/query?' + args, timeout=10) as r:
        return json.load(r)['data']['result']


def main():
    scraped, url = sys.argv[1], sys.argv[2]
    by_ts = read_strata(scraped)
    failures = []
    for job in ('node', 'prometheus'):
        ups = [ts for ts, rows in by_ts.items()
               for labels, v in rows if labels['__name__'] == 'up' and labels.get('job') == job]
        t = max(ups)
        # A NaN in the output file is a real NaN sample (empty summaries) or a stale marker;
        # the file does not tell them apart, so a NaN series only strata has is not a failure.
        ours = {key(l): v for l, v in by_ts[t] if l.get('job') == job}
        theirs = {key(r['metric']): r['value'][1] for r in query(url, '{job="%s"}' % job, t)}
        def keep(k):
            return not VOLATILE_SERIES.match(dict(k)['__name__'])
        only_ours = sorted(k for k in ours if k not in theirs and keep(k) and ours[k] != 'NaN')
        only_theirs = sorted(k for k in theirs if k not in ours and keep(k))
        for k in only_ours[:20]:
            failures.append('%s: only strata: %s' % (job, dict(k)))
        for k in only_theirs[:20]:
            failures.append('%s: only prometheus: %s' % (job, dict(k)))
        compared = 0
        for k, v in ours.items():
            if dict(k)['__name__'] in STABLE and k in theirs:
                compared += 1
                a, b = float(v), float(theirs[k])
                if not (a == b or (math.isnan(a) and math.isnan(b))):
                    failures.append('%s: value of %s: strata %s, prometheus %s' %
                                    (job, dict(k), v, theirs[k]))
        common = len([k for k in ours if k in theirs])
        print('%s: strata %d series, prometheus %d, common %d, stable values compared %d' %
              (job, len(ours), len(theirs), common, compared))
        if compared < 3:
            failures.append('%s: too few stable series compared (%d)' % (job, compared))
        if len(ours) < 50:
            failures.append('%s: suspiciously few series (%d)' % (job, len(ours)))
    if failures:
        print('\n'.join(failures))
        sys.exit(1)
    print('ok')


main()
