#!/usr/bin/env python3
"""Compares two `promtool tsdb dump` outputs as multisets of (series, value, timestamp) lines:
every sample of the first exactly once in the second, and nothing else.
Usage: compare_dumps.py SOURCES.dump OUTPUT.dump"""
import collections
import sys


def load(path):
    with open(path) as f:
        return collections.Counter(line.strip() for line in f if line.strip())


want, got = load(sys.argv[1]), load(sys.argv[2])
missing, extra = want - got, got - want
dups = sum(1 for k, n in got.items() if n > 1)
print(f"   sources: {sum(want.values())} samples, output: {sum(got.values())} samples, "
      f"missing {sum(missing.values())}, extra {sum(extra.values())}, duplicated lines {dups}")
for line in list(missing)[:5]:
    print("   missing:", line)
for line in list(extra)[:5]:
    print("   extra:  ", line)
sys.exit(0 if not missing and not extra and dups == 0 and want else 1)
