#!/usr/bin/env python3
"""Bytes per sample of the Prometheus-layout TSDB blocks under a directory.

A block is a directory holding meta.json; its samples are meta.json's stats.numSamples (what
the writer put in it), its bytes every file in it (index, chunks/*, meta.json, tombstones).
Prints one JSON object: blocks, samples, bytes, bytes_per_sample and the index / chunk split.
Exit 1 when there is no block or no sample, so a caller never divides by zero.
"""
import json, os, sys


def file_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    root = sys.argv[1]
    blocks = samples = total = index = chunks = 0
    for d, _, files in os.walk(root):
        if 'meta.json' not in files or d.endswith('.tmp'):
            continue
        meta = json.load(open(os.path.join(d, 'meta.json')))
        blocks += 1
        samples += int(meta.get('stats', {}).get('numSamples', 0))
        total += file_bytes(d)
        if os.path.exists(os.path.join(d, 'index')):
            index += os.path.getsize(os.path.join(d, 'index'))
        chunks += file_bytes(os.path.join(d, 'chunks'))
    if not blocks or not samples:
        print(f'no block with samples under {root}', file=sys.stderr)
        sys.exit(1)
    print(json.dumps({'blocks': blocks, 'samples': samples, 'bytes': total,
                      'bytes_per_sample': total / samples, 'index_bytes_per_sample':
                      index / samples, 'chunk_bytes_per_sample': chunks / samples}))


if __name__ == '__main__':
    main()
