#!/usr/bin/env bash
# usage: run_sdk_consumer.sh BUILD_DIR EXAMPLE_SRC_DIR [CMAKE]
# Exit 0 on success, 77 (skip) when the host binaries are not built, anything else on failure.
set -euo pipefail
build=$(cd "$1" && pwd)
example_src=$2
cmake=${3:-cmake}
strata=$build/bin/strata
lint=$build/bin/pipeline-lint

for bin in "$strata" "$lint"; do
  if [[ ! -x $bin ]]; then
    echo "SKIP: $bin is not built"
    exit 77
  fi
done

tmp=$(mktemp -d /tmp/strata-sdk-consumer.XXXXXX)
pid=
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for f in "$tmp"/*.log; do [[ -f $f ]] && { echo "--- $f" >&2; tail -n 40 "$f" >&2; }; done
  exit 1
}

echo "== install $build to $tmp/prefix"
"$cmake" --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
  fail "cmake --install"
for f in include/strata/plugin_abi.h include/strata/sdk.hpp \
  lib/cmake/Strata/StrataConfig.cmake lib/cmake/Strata/StrataConfigVersion.cmake \
  lib/cmake/Strata/StrataTargets.cmake lib/cmake/Strata/StrataPlugin.cmake; do
  [[ -f $tmp/prefix/$f ]] || fail "not installed: $f"
done

echo "== build example_plugin out of tree against the installed SDK"
# A copy outside the source tree, so nothing but the installed prefix can be found.
cp -r "$example_src" "$tmp/example_plugin"
"$cmake" -S "$tmp/example_plugin" -B "$tmp/example_build" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$tmp/configure.log" 2>&1 || fail "configure example_plugin"
"$cmake" --build "$tmp/example_build" -j2 >"$tmp/build.log" 2>&1 || fail "build example_plugin"
plugin_dir=$tmp/example_build/plugins
[[ -f $plugin_dir/processor_example_tagger.so ]] || fail "no $plugin_dir/processor_example_tagger.so"

echo "== strata plugins --plugin-dir $plugin_dir"
"$strata" plugins --plugin-dir "$plugin_dir" >"$tmp/plugins.log" 2>&1 || fail "strata plugins"
grep -q 'example_tagger' "$tmp/plugins.log" || fail "strata plugins does not list example_tagger"

out=$tmp/debug.out
port=$((20000 + RANDOM % 10000))
cat >"$tmp/pipeline.yaml" <<YAML
server: {listen_address: "127.0.0.1:$port", data_dir: "$tmp/data", log_level: info}
receivers:
  generator: {interval: 200ms, series: 3}
processors:
  example_tagger: {label_value: sdk_consumer_ok}
exporters:
  debug: {output_file: "$out"}
pipelines:
  metrics/main: {receivers: [generator], processors: [example_tagger], exporters: [debug]}
YAML

echo "== pipeline-lint --plugin-dir $plugin_dir pipeline.yaml"
"$lint" --plugin-dir "$plugin_dir" "$tmp/pipeline.yaml" >"$tmp/lint.log" 2>&1 ||
  fail "pipeline-lint rejected the pipeline"

echo "== strata run (until the debug output shows the added label)"
"$strata" run -c "$tmp/pipeline.yaml" --plugin-dir "$plugin_dir" >"$tmp/run.log" 2>&1 &
pid=$!
found=0
for _ in $(seq 1 200); do # deadline: 20 s, polling the condition, not sleeping blindly
  if [[ -f $out ]] && grep -q 'tagged_by.*sdk_consumer_ok' "$out"; then
    found=1
    break
  fi
  kill -0 "$pid" 2>/dev/null || fail "strata exited early"
  sleep 0.1
done
kill -TERM "$pid"
for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
  echo "WARN: strata ignored SIGTERM for 15 s; killing it" >&2
  kill -KILL "$pid"
fi
wait "$pid" 2>/dev/null || true
pid=
[[ $found == 1 ]] || fail "no debug output line with tagged_by=sdk_consumer_ok"
echo "sample: $(grep -m1 'sdk_consumer_ok' "$out")"
echo "PASS"
