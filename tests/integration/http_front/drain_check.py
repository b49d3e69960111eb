#!/usr/bin/env python3
"""Helpers of drain_no_4xx.sh (standard library only).

    drain_check.py ready-order ADMIN_ADDR WRITE_ADDR ACK_LOG DELAY_S
        Run right after SIGTERM with server.http.shutdown_delay = DELAY_S: /-/ready must turn
        503 at once, and a remote write sent after that must still get 2xx while /-/ready
        stays 503 (the node is unready before anything stops). The sample of that write is
        appended to ACK_LOG in remote-write-sender's --ack-log format.

    drain_check.py compare ADMIN_ADDR AT_MS ACK_LOG...
        Queries NAME[1h] at AT_MS through /api/v1/query for every metric name in the ack logs
        and compares the stored (labels, value, timestamp) set with what was acknowledged.
        Exit 1 when any acknowledged sample is missing (or stored with another value).
"""

import http.client
import json
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import remote_write_body as rw  # noqa: E402

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+) (-?\d+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def request(addr, method, path, body=None, headers=None, timeout=5):
    host, port = addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace"), dict(resp.getheaders())
    finally:
        conn.close()


def ready_order(admin, write, ack_log, delay_s):
    t0 = time.monotonic()
    status = 200
    while status == 200:
        if time.monotonic() - t0 > 1.0:
            sys.exit("FAIL: /-/ready still 200 one second after SIGTERM")
        status, _, _ = request(admin, "GET", "/-/ready")
        if status == 200:
            time.sleep(0.01)
    t_unready = time.monotonic() - t0
    if status != 503:
        sys.exit("FAIL: /-/ready answered %d after SIGTERM, want 503" % status)
    ts = int(time.time() * 1000)
    body = rw.snappy(rw.write_request([([("__name__", "drain_ready_probe"), ("probe", "1")],
                                        [(ts, 42.0)])]))
    wstatus, wtext, _ = request(write, "POST", "/api/v1/write", body, {
        "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy",
        "X-Prometheus-Remote-Write-Version": "0.1.0"})
    t_write = time.monotonic() - t0
    rstatus, _, _ = request(admin, "GET", "/-/ready")
    t_ready2 = time.monotonic() - t0
    print("readiness: /-/ready 503 after %.0f ms; a write then answered %d at %.0f ms; "
          "/-/ready %d at %.0f ms (shutdown_delay %.1f s)"
          % (t_unready * 1000, wstatus, t_write * 1000, rstatus, t_ready2 * 1000, delay_s))
    if not 200 <= wstatus < 300:
        sys.exit("FAIL: a write during shutdown_delay answered %d: %s" % (wstatus, wtext.strip()))
    if rstatus != 503:
        sys.exit("FAIL: /-/ready answered %d after the write, want 503" % rstatus)
    if t_ready2 >= delay_s:
        sys.exit("FAIL: checks took %.1f s, longer than shutdown_delay: inconclusive" % t_ready2)
    with open(ack_log, "a") as f:
        f.write('drain_ready_probe{probe="1"} 42 %d\n' % ts)


def key(name, labels):
    return (name,) + tuple(sorted(labels.items()))


def read_ack_logs(paths):
    acked = {}
    for path in paths:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                m = LINE.match(line.rstrip("\n"))
                if not m:
                    sys.exit("FAIL: %s:%d is not a sample line: %r" % (path, n, line))
                k = key(m.group(1), dict(LABEL.findall(m.group(2) or "")))
                acked.setdefault(k, {})[int(m.group(4))] = float(m.group(3))
    return acked


def stored_samples(admin, name, at_ms):
    q = urllib.parse.urlencode({"query": "%s[1h]" % name, "time": "%.3f" % (at_ms / 1000)})
    status, text, _ = request(admin, "GET", "/api/v1/query?" + q, timeout=30)
    if status != 200:
        sys.exit("FAIL: query %s answered %d: %s" % (name, status, text[:300]))
    data = json.loads(text)["data"]
    out = {}
    for r in data["result"]:
        labels = dict(r["metric"])
        labels.pop("__name__", None)
        out[key(name, labels)] = {int(round(float(t) * 1000)): float(v) for t, v in r["values"]}
    return out


def compare(admin, at_ms, paths):
    acked = read_ack_logs(paths)
    stored = {}
    for name in sorted({k[0] for k in acked}):
        stored.update(stored_samples(admin, name, at_ms))
    total = missing = wrong = extra = 0
    examples = []
    for k, samples in acked.items():
        have = stored.get(k, {})
        for ts, v in samples.items():
            total += 1
            if ts not in have:
                missing += 1
                if len(examples) < 5:
                    examples.append("missing %s %g %d" % (k, v, ts))
            elif have[ts] != v:
                wrong += 1
                if len(examples) < 5:
                    examples.append("%s at %d: stored %g, acked %g" % (k, ts, have[ts], v))
        extra += sum(1 for ts in have if ts not in samples)
    extra += sum(len(v) for k, v in stored.items() if k not in acked)
    print("stored vs acknowledged: acked=%d in %d series, missing=%d, wrong_value=%d, "
          "stored_but_not_acked=%d" % (total, len(acked), missing, wrong, extra))
    for e in examples:
        print("  " + e)
    if missing or wrong:
        sys.exit(1)


def main(argv):
    if len(argv) == 6 and argv[1] == "ready-order":
        ready_order(argv[2], argv[3], argv[4], float(argv[5]))
    elif len(argv) >= 5 and argv[1] == "compare":
        compare(argv[2], int(argv[3]), argv[4:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
