#!/usr/bin/env bash
# The bucket conformance suite against a real S3 server: starts a single-node Ceph + radosgw
# on loopback (tests/integration/lib/radosgw.sh), then runs strata_bucket_unit's S3 tests
# against it: the shared conformance tests (Backends/BucketConformance.*/s3), wrong
# credentials (Unauthorized, fast, the secret never shown), a missing bucket (Permanent, named),
# an unreachable endpoint (Transient after bounded retries) and a multipart upload (ETag
# "<md5>-4"). Exit 77 (skipped) when radosgw is not installed (tools/setup.sh installs it).
# Usage: s3_conformance.sh <strata_bucket_unit binary>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/harness.sh"
source "$here/../lib/radosgw.sh"
bin=${1:?usage: s3_conformance.sh <strata_bucket_unit>}

if ! radosgw_installed; then
  echo "SKIP: radosgw not installed (apt-get install ceph-mon ceph-osd radosgw ceph-common, or tools/setup.sh)"
  exit 77
fi

work=$(mktemp -d /tmp/strata-s3-conformance.XXXXXX)
cleanup() {
  cleanup_started
  rm -rf "$work"
}
trap cleanup EXIT

t0=$SECONDS
radosgw_start "$work/ceph"
echo "radosgw up at $STRATA_TEST_S3_ENDPOINT in $((SECONDS - t0)) s"

out=$work/gtest.out
set +e
timeout 240 "$bin" --gtest_filter='Backends/BucketConformance.*/s3:S3Server.*' >"$out" 2>&1
rc=$?
set -e
grep -E '^\[  (PASSED|FAILED|SKIPPED) |^\[==========\]|Failure|FAILED' "$out" || true
[ $rc -eq 0 ] || { tail -n 60 "$out"; fail "conformance suite against radosgw failed (rc $rc)"; }
# The S3 tests ran: none skipped for lack of a server.
grep -q 'Backends/BucketConformance.ListContinuesAcrossPages/s3' "$out" ||
  fail "the s3 conformance tests did not run"
if grep -q 'SKIPPED' "$out"; then fail "S3 tests were skipped although radosgw runs"; fi
echo "PASS: bucket conformance + S3 server tests against radosgw"
