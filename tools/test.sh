#!/usr/bin/env bash
# The one test command: installs what is needed (apt), builds, and runs every test, first in
# the release build, then in the ASan + UBSan build, then each fuzz target for a short while.
#   tools/test.sh            everything (unit + integration, both builds, fuzzing)
#   tools/test.sh unit       only `ctest -L unit`, release build
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
label=${1:-}
run_suite() {
  local dir=$1
  local args=(--test-dir "$dir" --output-on-failure --timeout 600 -j 2)
  [ -n "$label" ] && args+=(-L "$label")
  ctest "${args[@]}"
}
tools/build.sh release >/dev/null
run_suite build
if [ -z "$label" ]; then
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 tools/build.sh sanitize >/dev/null
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_suite build-sanitize
  # The libFuzzer targets, briefly: a clang build of only what they link (build-fuzz/), then
  # STRATA_FUZZ_SECONDS (20) each; a crash or a failed invariant fails the run.
  tools/fuzz.sh
fi
echo "tools/test.sh: all tests passed"
