"""Compares two `promtool query` outputs: same series and timestamps, values within 1e-9
relative, order-insensitive. Usage: compare_promtool.py A B; exit 1 with a diff on mismatch."""
import math
import re
import sys

POINT = re.compile(r"^(.*?)\s*(?:=>\s*)?(\S+) @\[([0-9.]+)\]$")


def parse(path):
    samples = {}
    current = None
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if not line:
                continue
            if line.endswith("=>"):
                current = line[:-2].strip()
                continue
            m = POINT.match(line)
            if not m:
                samples[("scalar-or-other", line)] = None
                continue
            metric = m.group(1).strip() or current or ""
            samples[(metric, m.group(3))] = m.group(2)
    return samples


def close(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if math.isnan(x) and math.isnan(y):
        return True
    return abs(x - y) <= 1e-9 * max(abs(x), abs(y))


a, b = parse(sys.argv[1]), parse(sys.argv[2])
bad = [k for k in set(a) | set(b) if k not in a or k not in b or not close(a[k], b[k])]
if not a:
    print("empty result from the first endpoint")
    sys.exit(1)
if bad:
    for k in sorted(bad)[:10]:
        print("differs:", k, a.get(k), b.get(k))
    sys.exit(1)
print(f"equal: {len(a)} samples")
