#!/usr/bin/env bash
# Configures and builds Strata. Usage: tools/build.sh [release|sanitize]  (default release)
# Build trees: build/ (release) and build-sanitize/ (ASan + UBSan).
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
jobs=${STRATA_JOBS:-$(nproc)}
case "$flavour" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  sanitize) dir=build-sanitize; flags=(-DCMAKE_BUILD_TYPE=Debug -DSTRATA_SANITIZE=ON) ;;
  *) echo "usage: tools/build.sh [release|sanitize]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
ninja -C "$dir" -j "$jobs"
echo "$dir"
