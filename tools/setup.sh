#!/usr/bin/env bash
# Installs everything Strata needs to build and test, from Debian only. Idempotent: packages
# already present are not touched, so a second run costs a dpkg query.
set -euo pipefail

BUILD_PACKAGES=(
  cmake ninja-build g++ pkg-config ccache clang-format clang-14 libclang-rt-14-dev
  libpoco-dev libprotobuf-dev protobuf-compiler libsnappy-dev librocksdb-dev
  libcurl4-openssl-dev libyaml-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev libre2-dev
  curl ca-certificates python3 jq openssl
)
# Real peers the integration tests and benchmarks talk to. Ceph's monitor, OSD and radosgw are
# the S3 server of the bucket tests (tests/integration/lib/radosgw.sh; Debian has no MinIO).
PEER_PACKAGES=(prometheus prometheus-node-exporter prometheus-alertmanager victoria-metrics
  ceph-mon ceph-osd radosgw ceph-common)

missing=()
for p in "${BUILD_PACKAGES[@]}" "${PEER_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian starts the peers as services on install; the tests start their own on loopback.
for svc in prometheus prometheus-node-exporter prometheus-alertmanager victoria-metrics; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$svc" 2>/dev/null; then
    $SUDO systemctl stop "$svc" || true
  fi
done
