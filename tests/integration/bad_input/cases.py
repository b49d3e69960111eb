#!/usr/bin/env python3
"""Bad remote write input against a running server, one request at a time.

    cases.py check WRITE_ADDR ADMIN_ADDR PID   strata: remote_write -> block_store, promql_api
                                               on ADMIN_ADDR; asserts every case (see CASES)
    cases.py report WRITE_URL                  prints what any receiver answers (e.g. a real
                                               Prometheus 2.42), asserts nothing

For each case `check` asserts the HTTP status, that the body names the problem, the exact
increase of the metrics that count it, and that the server still answers /-/healthy. At the
end valid 1.0 and 2.0 writes still get 204, and every sample any request was acknowledged
for (204) is queryable through /api/v1/query, exactly, while nothing of a refused request is.
Bodies are hand-encoded (tests/integration/lib/remote_write_body.py).
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

V1 = "application/x-protobuf"
V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request"
MAX_BODY = 65536  # the receiver's max_body_bytes in bad_input.sh
WIRE_CAP = MAX_BODY + MAX_BODY // 6 + 64  # what the receiver lets the host read
T = (int(time.time()) - 300) * 1000  # sample timestamps: T + a few seconds

RECEIVER = 'component="remote_write"'
STORE = 'component="block_store"'


def refused(reason):
    return "strata_remote_write_requests_refused_total{%s,reason=\"%s\"}" % (RECEIVER, reason)


def rejected(reason):
    return "strata_remote_write_samples_rejected_total{%s,reason=\"%s\"}" % (RECEIVER, reason)


def code(c):
    return "strata_remote_write_requests_total{code=\"%d\",%s}" % (c, RECEIVER)


def store_rejected(reason):
    return "strata_block_store_samples_rejected_total{%s,reason=\"%s\"}" % (STORE, reason)


def s(name, labels, samples):
    return ([("__name__", name)] + list(labels), samples)


def v1(series, **kw):
    return dict(body=rw.snappy(rw.write_request(series)), headers={"Content-Type": V1,
                "Content-Encoding": "snappy", "X-Prometheus-Remote-Write-Version": "0.1.0"}, **kw)


def v2(raw, **kw):
    return dict(body=rw.snappy(raw), headers={"Content-Type": V2, "Content-Encoding": "snappy",
                "X-Prometheus-Remote-Write-Version": "2.0.0"}, **kw)


GOOD = [s("bad_input_good", [("job", "a")], [(T, 1.0), (T + 1000, 2.0)])]

# Each case: name, what to send, and what `check` expects. `acked` lists the series whose
# samples the server must keep (when the status is 204); `counts` maps a metric series to its
# exact increase; `says` are texts the body must contain.
CASES = [
    dict(name="malformed protobuf (valid snappy around a truncated message)",
         status=400, says=["not a valid prometheus.WriteRequest protobuf message"],
         counts={refused("protobuf"): 1, code(400): 1},
         **dict(v1([]), body=rw.snappy(b"\x0a\x10\x0a\x05"))),
    dict(name="corrupt snappy (a valid body cut in half)",
         status=400, says=["not valid snappy"], counts={refused("snappy"): 1, code(400): 1},
         **dict(v1(GOOD), body=v1(GOOD)["body"][:20])),
    dict(name="not snappy at all (bad length header)",
         status=400, says=["not snappy block-compressed"],
         counts={refused("snappy"): 1, code(400): 1},
         **dict(v1(GOOD), body=b"\xff\xff\xff\xff\xff\xff")),
    dict(name="snappy length bomb (header claims 4 GB)",
         status=400, says=["would be 4000000000 bytes", "over the limit of %d bytes" % MAX_BODY],
         counts={refused("too_large"): 1, code(400): 1},
         **dict(v1(GOOD), body=rw.snappy_claiming(4_000_000_000, b"\x0a" * 50))),
    dict(name="wrong Content-Type",
         status=415, says=["Content-Type must be application/x-protobuf", "text/plain"],
         counts={refused("content_type"): 1, code(415): 1},
         **dict(v1(GOOD), headers={"Content-Type": "text/plain", "Content-Encoding": "snappy"})),
    dict(name="unknown remote write proto",
         status=415, says=["io.prometheus.write.v3.Request"],
         counts={refused("content_type"): 1, code(415): 1},
         **dict(v1(GOOD), headers={"Content-Encoding": "snappy", "Content-Type":
                                   "application/x-protobuf;proto=io.prometheus.write.v3.Request"})),
    dict(name="wrong Content-Encoding",
         status=415, says=["Content-Encoding must be snappy", "gzip"],
         counts={refused("content_encoding"): 1, code(415): 1},
         **dict(v1(GOOD), headers={"Content-Type": V1, "Content-Encoding": "gzip"})),
    dict(name="oversized body on the wire",
         status=413, says=["larger than the limit of %d bytes" % WIRE_CAP],
         counts={"strata_http_requests_refused_total{code=\"413\",listen_address=\"WRITE_ADDR\"}": 1},
         **dict(v1(GOOD), body=b"\0" * (WIRE_CAP + 1))),
    dict(name="oversized body after decompression (honest snappy header)",
         status=400, says=["would be %d bytes" % (MAX_BODY + 1000)],
         counts={refused("too_large"): 1, code(400): 1},
         **dict(v1(GOOD), body=rw.snappy(b"\x0a\x00" * ((MAX_BODY + 1000) // 2)))),
    dict(name="invalid label name",
         status=400, says=['series 1: invalid label name "bad-name"'],
         counts={refused("invalid_label_name"): 1, rejected("invalid_label_name"): 3},
         **v1(GOOD + [s("bad_input_refused", [("bad-name", "x")], [(T, 1.0)])])),
    dict(name="duplicate label names",
         status=400, says=['series 0: duplicate label name "job"'],
         counts={refused("duplicate_label"): 1, rejected("duplicate_label"): 1},
         **v1([s("bad_input_refused", [("job", "a"), ("job", "b")], [(T, 1.0)])])),
    dict(name="missing __name__",
         status=400, says=["series 0: no __name__ label"],
         counts={refused("missing_metric_name"): 1, rejected("missing_metric_name"): 1},
         **v1([([("job", "a")], [(T, 1.0)])])),
    dict(name="empty __name__ (empty means absent)",
         status=400, says=["series 0: no __name__ label"],
         counts={refused("missing_metric_name"): 1, rejected("missing_metric_name"): 1},
         **v1([([("__name__", ""), ("job", "a")], [(T, 1.0)])])),
    dict(name="label value not UTF-8",
         status=400, says=['series 0: value of label "job" is not valid UTF-8'],
         counts={refused("invalid_utf8"): 1, rejected("invalid_utf8"): 1},
         **v1([s("bad_input_refused", [("job", b"\xff\xfe")], [(T, 1.0)])])),
    dict(name="unsorted label names (accepted, stored sorted)",
         status=204, counts={code(204): 1},
         acked=[s("bad_input_unsorted", [("zz", "1"), ("aa", "2")], [(T, 5.0)])],
         **v1([([("zz", "1"), ("__name__", "bad_input_unsorted"), ("aa", "2")], [(T, 5.0)])])),
    dict(name="empty label value (accepted, the label is absent)",
         status=204, counts={code(204): 1},
         acked=[s("bad_input_empty_value", [("b", "y")], [(T, 6.0)])],
         **v1([s("bad_input_empty_value", [("a", ""), ("b", "y")], [(T, 6.0)])])),
    dict(name="newer samples of a series (setup for the out-of-order cases)",
         status=204, counts={code(204): 1},
         acked=[s("bad_input_ooo", [], [(T + 10000, 1.0), (T + 20000, 2.0)])],
         **v1([s("bad_input_ooo", [], [(T + 10000, 1.0), (T + 20000, 2.0)])])),
    dict(name="out-of-order sample (older than the series' newest)",
         status=400, says=["the pipeline rejected the batch", "block_store",
                           "1 out of order"],
         counts={refused("pipeline_rejected"): 1, rejected("pipeline_rejected"): 1,
                 store_rejected("out_of_order"): 1, code(400): 1},
         **v1([s("bad_input_ooo", [], [(T + 5000, 9.0)])])),
    dict(name="same timestamp, different value",
         status=400, says=["the pipeline rejected the batch", "1 duplicate timestamps"],
         counts={refused("pipeline_rejected"): 1, store_rejected("duplicate"): 1},
         **v1([s("bad_input_ooo", [], [(T + 20000, 9.0)])])),
    dict(name="out-of-order and new samples in one request (the new one is kept)",
         status=204, counts={store_rejected("out_of_order"): 1, code(204): 1},
         acked=[s("bad_input_ooo", [], [(T + 30000, 3.0)])],
         **v1([s("bad_input_ooo", [], [(T + 1000, 9.0), (T + 30000, 3.0)])])),
    dict(name="2.0: label reference outside the symbol table",
         status=400, says=["series 0: label reference 7 is outside the 3 symbols"],
         counts={refused("bad_symbol_ref"): 1, code(400): 1}, written="0",
         **v2(rw.write_v2_request(["", "__name__", "bad_input_refused"],
                                  [([1, 2, 7, 1], [(T, 1.0)])]))),
    dict(name="2.0: odd number of label references",
         status=400, says=["labels_refs has an odd number of entries"],
         counts={refused("bad_symbol_ref"): 1}, written="0",
         **v2(rw.write_v2_request(["", "__name__", "bad_input_refused"], [([1, 2, 1], [(T, 1.0)])]))),
    dict(name="2.0: symbols[0] not empty",
         status=400, says=["symbols[0] must be the empty string"],
         counts={refused("bad_symbol_ref"): 1}, written="0",
         **v2(rw.write_v2_request(["x", "__name__", "bad_input_refused"], [([1, 2], [(T, 1.0)])]))),
    dict(name="2.0 Content-Type on a 1.0 body",
         status=400, says=["remote write 1.0 body sent with the 2.0 Content-Type"],
         counts={refused("protobuf"): 1}, written="0",
         **dict(v2(b""), body=v1(GOOD)["body"])),
    dict(name="GET instead of POST", method="GET", status=405, says=["only POST"],
         counts={refused("method"): 1, code(405): 1}, **v1(GOOD)),
    # After all of the above the server still takes valid writes in both versions.
    dict(name="valid 1.0 write", status=204, counts={code(204): 1}, acked=GOOD, **v1(GOOD)),
    dict(name="valid 2.0 write", status=204, counts={code(204): 1}, written="2",
         acked=[s("bad_input_good_v2", [("job", "b")], [(T, 3.0), (T + 1000, 4.0)])],
         **v2(rw.write_v2_from_series(
             [s("bad_input_good_v2", [("job", "b")], [(T, 3.0), (T + 1000, 4.0)])]))),
]


def request(addr, method, path, body=None, headers=None):
    host, port = addr.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace"), {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()


LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def key(name, labels):
    return name + "{" + ",".join('%s="%s"' % kv for kv in sorted(labels.items())) + "}"


def metrics(admin):
    status, text, _ = request(admin, "GET", "/metrics")
    assert status == 200, status
    out = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if m and not line.startswith("#"):
            out[key(m.group(1), dict(LABEL.findall(m.group(2) or "")))] = float(m.group(3))
    return out


def normalise(series):
    """A metric series written as name{a="x",b="y"} in any label order -> key()."""
    m = LINE.match(series + " 0")
    return key(m.group(1), dict(LABEL.findall(m.group(2) or "")))


def query_range_vector(admin, name, at_ms):
    q = urllib.parse.urlencode({"query": "%s[1h]" % name, "time": "%.3f" % (at_ms / 1000)})
    status, text, _ = request(admin, "GET", "/api/v1/query?" + q)
    assert status == 200, (status, text)
    data = json.loads(text)["data"]
    assert data["resultType"] == "matrix", data
    return {key("", r["metric"]): [(int(round(float(t) * 1000)), float(v)) for t, v in r["values"]]
            for r in data["result"]}


def check(write_addr, admin, pid):
    failures, acked = [], {}
    for case in CASES:
        before = metrics(admin)
        status, body, headers = request(write_addr, case.get("method", "POST"), "/api/v1/write",
                                        case["body"], case["headers"])
        after = metrics(admin)
        problems = []
        if status != case["status"]:
            problems.append("status %d, want %d" % (status, case["status"]))
        for text in case.get("says", []):
            if text not in body:
                problems.append("body lacks %r" % text)
        for series, want in case.get("counts", {}).items():
            k = normalise(series.replace("WRITE_ADDR", write_addr))
            got = after.get(k, 0) - before.get(k, 0)
            if got != want:
                problems.append("%s rose by %g, want %g" % (k, got, want))
        if "written" in case and headers.get("x-prometheus-remote-write-samples-written") != case["written"]:
            problems.append("Samples-Written %r, want %r" % (
                headers.get("x-prometheus-remote-write-samples-written"), case["written"]))
        health, _, _ = request(admin, "GET", "/-/healthy")
        if health != 200:
            problems.append("/-/healthy answered %d afterwards" % health)
        if status == 204:
            for labels, samples in case.get("acked", []):
                acked.setdefault(key("", dict(labels)), []).extend(samples)
        verdict = "ok  " if not problems else "FAIL"
        print("%s %-66s %d %s" % (verdict, case["name"], status, body.strip()[:150]))
        for p in problems:
            print("       " + p)
            failures.append("%s: %s" % (case["name"], p))

    # Everything acknowledged is queryable, exactly; nothing refused is.
    end = T + 60000
    for name in sorted({dict(rw_labels)["__name__"] for c in CASES for rw_labels, _ in c.get("acked", [])}):
        stored = query_range_vector(admin, name, end)
        want = {k: sorted(v) for k, v in acked.items() if '__name__="%s"' % name in k}
        if stored != want:
            failures.append("stored %s differs from what was acknowledged: %s vs %s" % (name, stored, want))
    refused_stored = query_range_vector(admin, "bad_input_refused", end)
    if refused_stored:
        failures.append("samples of refused requests were stored: %s" % refused_stored)
    total = sum(len(v) for v in acked.values())
    print("queryable: %d acknowledged samples in %d series, as sent" % (total, len(acked)))

    peak_kb = int(re.search(r"VmHWM:\s+(\d+)", open("/proc/%s/status" % pid).read()).group(1))
    print("server peak RSS: %d MB" % (peak_kb // 1024))
    if peak_kb > 1024 * 1024:
        failures.append("peak RSS %d MB: something allocated what a header claimed" % (peak_kb // 1024))
    if failures:
        print("\n%d failure(s):" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    print("all %d cases as documented" % len(CASES))
    return 0


def report(url):
    u = urllib.parse.urlparse(url)
    for case in CASES:
        status, body, _ = request(u.netloc, case.get("method", "POST"), u.path, case["body"],
                                  case["headers"])
        print("%-66s %d %s" % (case["name"], status, body.strip()[:200]))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4]))
    if len(sys.argv) == 3 and sys.argv[1] == "report":
        sys.exit(report(sys.argv[2]))
    print(__doc__)
    sys.exit(2)
