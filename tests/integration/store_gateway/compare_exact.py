#!/usr/bin/env python3
"""compare_exact.py KIND ACK_LOG ANSWER [STEP_S START_S END_S]: an answer must hold exactly
the acknowledged samples (sample lines of conn-load --ack-log), counted as a multiset: nothing
missing, nothing extra, no sample twice (duplicates across blocks or sources are an error).

KIND:
  dump    ANSWER is `promtool tsdb dump` output over blocks
  matrix  ANSWER is /api/v1/query of a range selector (raw samples)
  range   ANSWER is /api/v1/query_range from START_S to END_S by STEP_S: at every step each
          series has exactly one point, the newest acknowledged sample at or before the step
          (lookback 5m), and no point where it has none
  series  ANSWER is /api/v1/series: exactly the label sets of the acknowledged samples
"""
import bisect
import collections
import json
import re
import sys

LOOKBACK_MS = 300_000


def parse_labels(text):
    return dict(re.findall(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"', text))


def series_key(name, labels):
    return (name, tuple(sorted((k, v) for k, v in labels.items() if k != "__name__")))


def read_acked(path):
    out = collections.Counter()
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        name_labels, value, ts = line.rsplit(" ", 2)
        m = re.match(r"([^{]+)\{(.*)\}$", name_labels)
        out[(series_key(m.group(1), parse_labels(m.group(2))), float(value), int(ts))] += 1
    return out


def api(path):
    answer = json.load(open(path))
    if answer.get("status") != "success":
        sys.exit(f"   error answer: {str(answer)[:300]}")
    if answer.get("warnings"):
        sys.exit(f"   answer carries warnings: {answer['warnings']}")
    return answer["data"]


def report(what, want, got):
    missing, extra = want - got, got - want
    print(f"   {what}: {sum(got.values())} served, {sum(want.values())} expected, "
          f"{sum(missing.values())} missing, {sum(extra.values())} extra or duplicated")
    for s in list(missing)[:3]:
        print("   missing:", s)
    for s in list(extra)[:3]:
        print("   extra:", s, "x", extra[s])
    return 1 if missing or extra or not want else 0


def main():
    kind, ack_path, answer_path = sys.argv[1:4]
    acked = read_acked(ack_path)
    dups = [k for k, c in acked.items() if c > 1]
    if dups:
        sys.exit(f"   the ack log holds a sample twice: {dups[0]}")
    if kind == "dump":
        got = collections.Counter()
        for line in open(answer_path):
            m = re.match(r"\{(.*)\} (\S+) (-?\d+)$", line.strip())
            if m:
                labels = parse_labels(m.group(1))
                got[(series_key(labels.get("__name__", ""), labels), float(m.group(2)),
                     int(m.group(3)))] += 1
        return report("promtool dump", acked, got)
    data = api(answer_path)
    if kind == "matrix":
        if data["resultType"] != "matrix":
            sys.exit(f"   not a matrix: {data['resultType']}")
        got = collections.Counter()
        for s in data["result"]:
            key = series_key(s["metric"].get("__name__", ""), s["metric"])
            for ts, v in s["values"]:
                got[(key, float(v), round(float(ts) * 1000))] += 1
        return report("raw samples", acked, got)
    if kind == "series":
        want = collections.Counter({k: 1 for k in {k for (k, _, _) in acked}})
        got = collections.Counter(series_key(s.get("__name__", ""), s) for s in data)
        return report("series", want, got)
    if kind == "range":
        step_ms = round(float(sys.argv[4]) * 1000)
        per_series = collections.defaultdict(list)
        for (key, v, ts) in acked:
            per_series[key].append((ts, v))
        for k in per_series:
            per_series[k].sort()
        got = collections.Counter()
        steps = set()
        for s in data["result"]:
            key = series_key(s["metric"].get("__name__", ""), s["metric"])
            for ts, v in s["values"]:
                t = round(float(ts) * 1000)
                steps.add(t)
                got[(key, float(v), t)] += 1
        first = round(float(sys.argv[5]) * 1000)
        last = round(float(sys.argv[6]) * 1000)
        if not steps:
            sys.exit("   query_range answered no points")
        want = collections.Counter()
        for key, samples in per_series.items():
            times = [t for t, _ in samples]
            for t in range(first, last + 1, step_ms):
                i = bisect.bisect_right(times, t) - 1
                if i >= 0 and times[i] > t - LOOKBACK_MS:
                    want[(key, samples[i][1], t)] += 1
        return report(f"query_range points (step {step_ms} ms)", want, got)
    sys.exit(f"unknown kind {kind}")


if __name__ == "__main__":
    sys.exit(main())
