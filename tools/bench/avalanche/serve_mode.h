// serve mode: an exposition server for scrape benchmarks. GET /metrics answers the current
// step (wall time since start / interval, wrapping around) in text format 0.0.4.
#pragma once

#include "workload.h"
#include "workload_options.h"

namespace strata::avalanche {

// Serves until SIGTERM/SIGINT or --serve-seconds; returns the exit code.
int runServe(const Workload& w, const ModeOptions& m);

}  // namespace strata::avalanche
