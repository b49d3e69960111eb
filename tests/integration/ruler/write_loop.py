"""Remote-writes test_up{job="api",instance="i1"} 0 and test_requests_total{job="api"} growing,
once a second, to URL until killed (the ruler test's data)."""
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from remote_write_body import snappy, write_request  # noqa: E402

url = sys.argv[1]
n = 0
while True:
    ts = int(time.time() * 1000)
    body = snappy(write_request([
        ([("__name__", "test_up"), ("instance", "i1"), ("job", "api")], [(ts, 0.0)]),
        ([("__name__", "test_requests_total"), ("job", "api")], [(ts, float(n * 10))]),
    ]))
    req = urllib.request.Request(url, data=body, headers={
        "Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
        "X-Prometheus-Remote-Write-Version": "0.1.0"})
    try:
        urllib.request.urlopen(req, timeout=5).read()
    except Exception as e:  # the ruler test checks results, not every write
        print("write failed:", e, file=sys.stderr)
    n += 1
    time.sleep(1)
