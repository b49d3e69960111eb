"""Checks the raw samples a Prometheus holds for one scrape job of the edge agent after an
outage with a SIGKILL and a restart of the agent.

Usage: check_scrapes.py UP.json ALL.json POST.json INTERVAL_MS START1 KILL START2 END
The JSON files are Prometheus answers of range-vector queries evaluated at END for one job:
up{...}[R] (one sample per scrape), {job=...}[R] (every series) and
scrape_samples_post_metric_relabeling{...}[R]. Times are wall-clock ms recorded by the test:
the agent ran in [START1, KILL) and [START2, END]. Prints a summary; exits 1 with the reasons
on failure.
"""
import json
import sys


def times(answer):
    return [round(float(v[0]) * 1000) for r in answer["data"]["result"] for v in r["values"]]


def main():
    up_file, all_file, post_file, interval, start1, kill, start2, end = sys.argv[1:9]
    interval, start1, kill, start2, end = map(int, (interval, start1, kill, start2, end))
    up = sorted(t for t in times(json.load(open(up_file))) if t <= end)
    errors = []
    if len(up) != len(set(up)):
        errors.append("duplicate up timestamps")
    seg1 = [t for t in up if t < kill]
    seg2 = [t for t in up if t >= start2]
    stray = [t for t in up if kill <= t < start2]
    if stray:
        errors.append(f"{len(stray)} samples stamped while the agent was dead: {stray}")
    for name, seg, begin, stop in (("before kill", seg1, start1, kill), ("after restart", seg2, start2, end)):
        if not seg:
            errors.append(f"{name}: no samples")
            continue
        # Every scrape has its own slot on the agent's interval grid (its phase survives the
        # restart, timestamps jitter by a few ms): a missing sample leaves a hole in the slots.
        slots = [round((t - seg[0]) / interval) for t in seg]
        holes = sorted(set(range(slots[-1] + 1)) - set(slots))
        if holes or len(set(slots)) != len(slots):
            errors.append(f"{name}: missing scrape slots {holes[:20]} (of {slots[-1] + 1})")
        # Expected count from the recorded wall-clock bounds. +-1 at each boundary: the first
        # scrape comes up to one interval after start (hash phase); at the kill, a scrape
        # in flight (fetched, its emit not yet acknowledged, so not in the durable queue) may or
        # may not survive: outage.sh checks separately that every acknowledged one did;
        # at the end, the scrape around END may be stamped just before or after it.
        expected = (stop - begin) // interval
        print(f"{name}: {len(seg)} samples, expected {expected} +-1 per boundary, "
              f"first +{seg[0] - begin} ms after start, last {stop - seg[-1]} ms before end")
        if seg[0] - begin > 2 * interval or stop - seg[-1] > 2 * interval:
            errors.append(f"{name}: more than one scrape missing at a boundary")
        if not expected - 2 <= len(seg) <= expected + 1:
            errors.append(f"{name}: {len(seg)} samples, expected {expected} (+-1 per boundary)")
    # Every sample of every scrape: the raw samples of all the job's series in the two segments
    # equal the sum over scrapes of (samples after metric relabeling + 5 report series).
    kept = set(seg1) | set(seg2)
    stored = sum(1 for t in times(json.load(open(all_file))) if t in kept)
    post = {}
    for r in json.load(open(post_file))["data"]["result"]:
        for v in r["values"]:
            post[round(float(v[0]) * 1000)] = int(float(v[1]))
    missing_post = [t for t in kept if t not in post]
    if missing_post:
        errors.append(f"{len(missing_post)} scrapes without scrape_samples_post_metric_relabeling")
    expected_all = sum(post.get(t, 0) + 5 for t in kept)
    print(f"all series: {stored} samples stored, {expected_all} scraped in {len(kept)} scrapes")
    if stored != expected_all:
        errors.append(f"{expected_all - stored} scraped samples missing in prometheus")
    for e in errors:
        print("FAIL:", e, file=sys.stderr)
    sys.exit(1 if errors else 0)


main()
