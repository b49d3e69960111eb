#!/usr/bin/env bash
# Installs what is needed (apt), builds, and runs the all-in-one role (the embedded default
# pipeline) in the foreground: http://localhost:9090/metrics, remote write to
# http://localhost:9090/api/v1/write. Extra arguments go to `strata run`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh release >/dev/null
exec build/bin/strata run "$@"
