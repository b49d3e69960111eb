#!/usr/bin/env python3
# compare_dump.py ACK_LOG PROMTOOL_DUMP: every acknowledged sample (sample line format of
# remote-write-sender/conn-load --ack-log) must be in the `promtool tsdb dump` output.
import re, sys
acked = set()
for line in open(sys.argv[1]):
    name_labels, value, ts = line.rsplit(" ", 2)
    m = re.match(r'([^{]+)\{(.*)\}$', name_labels)
    labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
    acked.add((m.group(1), tuple(sorted(labels.items())), float(value), int(ts)))
dumped = set()
for line in open(sys.argv[2]):
    m = re.match(r'\{(.*)\} (\S+) (\d+)$', line.strip())
    if not m:
        continue
    labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
    name = labels.pop("__name__", "")
    dumped.add((name, tuple(sorted(labels.items())), float(m.group(2)), int(m.group(3))))
missing = acked - dumped
print(f"   promtool: {len(dumped)} samples in the bucket's blocks, {len(acked)} acknowledged, {len(missing)} missing")
sys.exit(1 if missing or not acked else 0)
