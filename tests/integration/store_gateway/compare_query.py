#!/usr/bin/env python3
# compare_query.py ACK_LOG QUERY_JSON: the matrix answer of /api/v1/query must hold exactly the
# acknowledged samples (sample line format of conn-load --ack-log): none missing, none extra.
import json, re, sys

def key(name, labels, value, ts_ms):
    return (name, tuple(sorted(labels.items())), float(value), int(ts_ms))

acked = set()
for line in open(sys.argv[1]):
    name_labels, value, ts = line.rsplit(" ", 2)
    m = re.match(r'([^{]+)\{(.*)\}$', name_labels)
    acked.add(key(m.group(1), dict(re.findall(r'(\w+)="([^"]*)"', m.group(2))), value, ts))
answer = json.load(open(sys.argv[2]))
if answer.get("status") != "success" or answer["data"]["resultType"] != "matrix":
    sys.exit(f"   unexpected answer: {str(answer)[:300]}")
served = set()
for series in answer["data"]["result"]:
    labels = dict(series["metric"])
    name = labels.pop("__name__", "")
    for ts, value in series["values"]:
        served.add(key(name, labels, value, round(float(ts) * 1000)))
missing, extra = acked - served, served - acked
print(f"   gateway: {len(served)} samples served, {len(acked)} acknowledged, "
      f"{len(missing)} missing, {len(extra)} extra")
for s in sorted(missing)[:3]:
    print("   missing:", s)
for s in sorted(extra)[:3]:
    print("   extra:", s)
sys.exit(1 if missing or extra or not acked else 0)
