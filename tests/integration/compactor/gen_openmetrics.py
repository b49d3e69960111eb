#!/usr/bin/env python3
"""Writes an OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`: gauges and
counters (with resets) every 60 s over HOURS hours from START (unix seconds, 2h-aligned), and
a series present only in the first half. Usage: gen_openmetrics.py START HOURS OUT"""
import math
import sys

start, hours, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
end = start + hours * 3600
with open(out, "w") as f:
    f.write("# TYPE node_load gauge\n")
    for inst in range(8):
        for t in range(start, end, 60):
            v = 1.5 + math.sin((t - start) / 900.0 + inst)
            f.write(f'node_load{{instance="host-{inst}",job="node"}} {v!r} {t}\n')
    f.write("# TYPE http_requests counter\n")
    for code in ("200", "500"):
        for inst in range(4):
            total = 0.0
            for t in range(start, end, 60):
                total = 0.0 if (t - start) % (5 * 3600) == 0 and t != start else total
                total += (inst + 1) * (3 if code == "200" else 0.25)
                f.write(f'http_requests_total{{code="{code}",instance="host-{inst}"}} {total!r} {t}\n')
    f.write("# TYPE batch_temp gauge\n")
    for t in range(start, start + (end - start) // 2, 30):
        f.write(f'batch_temp{{site="a"}} {(t % 977) / 7.0!r} {t}\n')
    f.write("# EOF\n")
