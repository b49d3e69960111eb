#!/usr/bin/env bash
# The libFuzzer targets of tests/fuzz, built with clang-14 + ASan + UBSan in their own tree,
# build-fuzz/ (STRATA_FUZZ=ON: only the fuzz targets and the libraries they link).
#
#   tools/fuzz.sh                     build, then run every target for $STRATA_FUZZ_SECONDS
#                                     (default 20) each; what tools/test.sh runs in CI
#   tools/fuzz.sh build               only build
#   tools/fuzz.sh run TARGET [SECONDS] [libFuzzer flags...]
#                                     one target (exposition_parser, http_request_parser,
#                                     remote_write_decoder),
#                                     e.g. `tools/fuzz.sh run remote_write_decoder 3600 -jobs=2`
#
# The committed seeds (tests/fuzz/corpus/TARGET) are only read; what the fuzzer adds goes to
# build-fuzz/corpus/TARGET and is reused by the next run. A crash, a failed invariant, a leak,
# a >10 s input or an allocation over 512 MB fails the run; the input is saved as
# build-fuzz/artifacts/TARGET-crash-* (see docs/fuzzing.md for what to do with it).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-fuzz
targets=(exposition_parser http_request_parser remote_write_decoder)

build() {
  command -v clang++-14 >/dev/null ||
    { echo "tools/fuzz.sh: clang++-14 not found (libFuzzer needs clang)" >&2; exit 2; }
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -G Ninja -DSTRATA_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  ninja -C "$dir" -j "${STRATA_JOBS:-2}" "${targets[@]/%/_fuzz}" >/dev/null
}

# run TARGET SECONDS [flags...]: fuzzes one target; non-zero on any finding.
run() {
  local t=$1 secs=$2
  shift 2
  local log=$dir/$t.log
  mkdir -p "$dir/corpus/$t" "$dir/artifacts"
  [ -f "tests/fuzz/$t.dict" ] && set -- -dict="tests/fuzz/$t.dict" "$@"
  echo "fuzz $t: ${secs}s ..."
  if ! "$dir/bin/${t}_fuzz" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=512 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t-" "$@" \
    "$dir/corpus/$t" "tests/fuzz/corpus/$t" > "$log" 2>&1; then
    grep -v "^#[0-9]" "$log" | tail -n 40 >&2
    echo "tools/fuzz.sh: $t FAILED (input in $dir/artifacts/, log $log)" >&2
    return 1
  fi
  local runs rate cov
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 || true)
  echo "fuzz $t: ok, $runs runs, $rate exec/s, ${cov:-cov: ?}, corpus $(ls "$dir/corpus/$t" | wc -l) files"
}

case "${1:-all}" in
  build) build ;;
  run)
    [ $# -ge 2 ] || { echo "usage: tools/fuzz.sh run TARGET [SECONDS] [flags...]" >&2; exit 2; }
    t=$2
    secs=${3:-60}
    shift $(($# < 3 ? $# : 3))
    build
    run "$t" "$secs" "$@"
    ;;
  all)
    build
    for t in "${targets[@]}"; do run "$t" "${STRATA_FUZZ_SECONDS:-20}"; done
    ;;
  *) echo "usage: tools/fuzz.sh [all|build|run TARGET [SECONDS] [flags...]]" >&2; exit 2 ;;
esac
