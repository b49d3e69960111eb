#!/usr/bin/env bash
# pipelines/edge-agent.yaml must lint once every plugin it names exists. Until the
# remote_write exporter is built, the test reports that and passes only the other checks.
# Usage: edge_agent_lint.sh BUILD_DIR PIPELINE
set -euo pipefail
build=$1
pipeline=$2
out=$("$build/bin/pipeline-lint" "$pipeline" 2>&1) && { echo "$out"; echo ok; exit 0; }
echo "$out"
if ! ls "$build"/lib/strata/plugins/exporter_remote_write*.so > /dev/null 2>&1; then
  # Only the missing exporter may be wrong.
  if echo "$out" | grep 'error\[' | grep -vq "'remote_write'"; then exit 1; fi
  echo "SKIP: the remote_write exporter is not built yet"
  exit 0
fi
exit 1
