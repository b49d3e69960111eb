#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/seed-*): small
valid inputs, plus a few classic bad ones, that the fuzzer mutates from. Everything is
generated here (nothing fetched). Re-run after changing it; crash inputs kept as regressions
are named regress-* and are not touched.

    python3 tests/fuzz/make_seeds.py
"""

import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration", "lib"))
import remote_write_body as rw  # noqa: E402

T0 = 1700000000000

EXPOSITION = {
    "text-basic": """# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000
# A free comment
metric_without_timestamp_and_labels 12.47
""",
    "text-escapes": """# HELP msdos_file_access_time_seconds Escaped \\\\ and \\n in help.
# TYPE msdos_file_access_time_seconds gauge
msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
something_weird{problem="division by zero"} +Inf -3982045
nan_value NaN
neg_inf{a=""} -Inf
""",
    "text-histogram": """# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="0.1"} 33444
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.5"} 4773
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
\r
  indented_metric { a = "b" , c="d", } 1e-3
""",
    "om-basic": """# TYPE acme_http_router_request_seconds summary
# UNIT acme_http_router_request_seconds seconds
# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
# TYPE foo counter
foo_total 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67
# TYPE info_metric info
info_metric_info{version="1.2.3"} 1
# EOF
""",
    "om-stateset": """# TYPE feature stateset
feature{feature="a"} 1
feature{feature="b"} 0
# TYPE x gaugehistogram
x_gcount 3 1.5
x_gsum 1e2
# EOF
""",
}


def series_sets():
    return {
        "two-series": [
            ([("__name__", "up"), ("instance", "a:9100"), ("job", "node")],
             [(T0, 1.0), (T0 + 15000, 1.0)]),
            ([("__name__", "node_load1"), ("job", "node")],
             [(T0, 0.25), (T0 + 15000, math.inf), (T0 + 30000, -0.0)]),
        ],
        "unsorted-empty-value": [
            ([("zone", "eu"), ("__name__", "temp_celsius"), ("rack", ""), ("a", "\u00e9t\u00e9")],
             [(T0, 21.5), (T0 + 1, math.nan)]),
        ],
        "many-labels": [
            ([("__name__", "wide")] + [("l%02d" % i, "v%d" % i) for i in range(12)],
             [(T0 + i, float(i)) for i in range(5)]),
            ([("__name__", "no_samples"), ("job", "x")], []),
        ],
    }


def remote_write_seeds():
    out = {}
    for name, series in series_sets().items():
        v1, v2 = rw.write_request(series), rw.write_v2_from_series(series)
        out["v1-body-" + name] = bytes([0]) + rw.snappy(v1)
        out["v1-raw-" + name] = bytes([2]) + v1
        out["v2-body-" + name] = bytes([1]) + rw.snappy(v2)
        out["v2-raw-" + name] = bytes([3]) + v2
    tight = series_sets()["many-labels"]
    out["v1-raw-tight-limits"] = bytes([6]) + rw.write_request(tight)
    out["v2-raw-tight-limits"] = bytes([7]) + rw.write_v2_from_series(tight)
    # The classic bad ones: a length bomb, a truncated body, a literal-only body, bad refs.
    out["v1-body-length-bomb"] = bytes([0]) + rw.snappy_claiming(4_000_000_000, b"\x0a\x00")
    good = rw.snappy(rw.write_request(series_sets()["two-series"]))
    out["v1-body-truncated"] = bytes([0]) + good[: len(good) // 2]
    out["v1-body-literals-only"] = bytes([0]) + rw.snappy(
        rw.write_request(series_sets()["two-series"]), copies=False)
    out["v2-raw-bad-refs"] = bytes([3]) + rw.write_v2_request(
        ["", "__name__", "up"], [([1, 2, 7, 1], [(T0, 1.0)])])
    return out


def write(target, seeds):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.startswith("seed-"):
            os.remove(os.path.join(d, f))
    for name, data in sorted(seeds.items()):
        if isinstance(data, str):
            data = data.encode()
        with open(os.path.join(d, "seed-" + name), "wb") as f:
            f.write(data)
    print("%s: %d seeds" % (target, len(seeds)))


if __name__ == "__main__":
    write("exposition_parser", EXPOSITION)
    write("remote_write_decoder", remote_write_seeds())
