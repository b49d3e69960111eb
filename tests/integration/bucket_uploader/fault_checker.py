#!/usr/bin/env python3
"""fault_checker.py: watches a bucket, the store gateway serving it and the uploader's local
block directory while uploads are being disturbed, until STOP_FILE exists; then writes a JSON
summary to OUT and exits 0 (the test asserts on the summary).

Each poll:
  1. lists the local sealed blocks (directories with meta.json under LOCAL_DIR);
  2. lists the bucket's blocks (strata-bucket blocks: ULID minTime maxTime, or partial);
  3. for every complete block in the bucket asks the gateway, in one instant query at the
     block's last millisecond, MATCHER[maxTime-minTime-1ms]: every sample of the block's
     range [minTime, maxTime) (range selectors include both ends, as in Prometheus 2.x). The answer must be empty (block not loaded yet) or hold
     exactly SERIES series, each with exactly the count the known data set has in that range
     (a partially served block, or one served twice, gives another count);
  4. a block that was on the local disk at the previous poll and is gone now must already be
     in the bucket listing of this poll (taken after the local listing): local copies are
     deleted only after they are shipped.
The last poll starts after STOP_FILE appeared. A failing request (gateway query, bucket listing) is an error unless OUTAGE_FILE (the test
creates it while radosgw is down) existed before or after it.

Data set: --phase START_MS:INTERVAL_MS:SAMPLES (repeatable), every series the same timestamps.
"""
import argparse
import json
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request


def expected(phases, lo, hi):
    """Samples of one series with lo <= ts <= hi."""
    n = 0
    for start, interval, samples in phases:
        for k in range(samples):
            ts = start + k * interval
            if lo <= ts <= hi:
                n += 1
    return n


def local_blocks(root):
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        if "meta.json" in filenames and "block_store" in dirpath and not dirpath.endswith(".tmp"):
            out.add(os.path.basename(dirpath))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gateway", required=True)
    ap.add_argument("--strata-bucket", required=True)
    ap.add_argument("--objstore", required=True)
    ap.add_argument("--local-dir", required=True)
    ap.add_argument("--outage-file", required=True)
    ap.add_argument("--stop-file", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--matcher", required=True)
    ap.add_argument("--series", type=int, required=True)
    ap.add_argument("--phase", action="append", required=True)
    a = ap.parse_args()
    phases = [tuple(int(x) for x in p.split(":")) for p in a.phase]
    s = {"polls": 0, "queries": 0, "errors": [], "errors_in_outage": 0, "violations": [],
         "partial_listed": 0, "max_bucket_blocks": 0, "max_served_blocks": 0,
         "served_history": [], "local_seen": [], "local_deleted": [], "bucket_final": []}
    prev_local = set()
    seen_local = set()
    deleted = set()

    def outage():
        return os.path.exists(a.outage_file)

    def error(what, was_down):
        if was_down or outage():
            s["errors_in_outage"] += 1
        else:
            s["errors"].append(f"{time.strftime('%H:%M:%S')} {what}"[:400])

    last = False
    while not last:
        last = os.path.exists(a.stop_file)  # one full poll after the stop file appeared
        s["polls"] += 1
        local = local_blocks(a.local_dir)
        seen_local |= local
        down = outage()
        r = subprocess.run([a.strata_bucket, "--objstore.config-file", a.objstore, "blocks"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            error(f"bucket listing: {r.stderr.strip()}", down)
            time.sleep(0.3)  # prev_local kept: deletions are checked at the next listing
            continue
        blocks = {}
        for line in r.stdout.splitlines():
            f = line.split()
            if len(f) >= 2 and f[1] == "partial":
                s["partial_listed"] += 1
            elif len(f) >= 3:
                blocks[f[0]] = (int(f[1]), int(f[2]))
        s["max_bucket_blocks"] = max(s["max_bucket_blocks"], len(blocks))
        for u in prev_local - local:
            deleted.add(u)
            if u not in blocks:
                s["violations"].append(f"block {u} deleted locally before it was in the bucket")
        prev_local = local
        served = 0
        for u, (lo, hi) in sorted(blocks.items()):
            q = f"{a.matcher}[{hi - lo - 1}ms]"
            url = a.gateway + "/api/v1/query?" + urllib.parse.urlencode(
                {"query": q, "time": f"{(hi - 1) / 1000:.3f}"})
            down = outage()
            s["queries"] += 1
            try:
                with urllib.request.urlopen(url, timeout=30) as resp:
                    ans = json.load(resp)
            except (urllib.error.URLError, OSError, ValueError) as e:
                body = ""
                if isinstance(e, urllib.error.HTTPError):
                    body = e.read().decode(errors="replace")[:200]
                error(f"query for block {u}: {e} {body}", down)
                continue
            if ans.get("status") != "success" or ans.get("warnings"):
                error(f"query for block {u}: {str(ans)[:200]}", down)
                continue
            result = ans["data"]["result"]
            if not result:
                continue  # not loaded yet
            served += 1
            want = expected(phases, lo, hi - 1)
            counts = sorted(len(x["values"]) for x in result)
            if len(result) != a.series or any(c != want for c in counts):
                s["violations"].append(
                    f"block {u} [{lo},{hi}) served {len(result)} series with counts "
                    f"{counts[:5]}..., want {a.series} series of {want} samples")
        s["max_served_blocks"] = max(s["max_served_blocks"], served)
        s["served_history"].append(served)
        time.sleep(0.3)
    s["local_seen"] = sorted(seen_local)
    s["local_deleted"] = sorted(deleted)
    with open(a.out, "w") as f:
        json.dump(s, f, indent=1)


if __name__ == "__main__":
    main()
