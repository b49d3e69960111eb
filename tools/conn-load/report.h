// The one JSON object conn-load prints, and whether the run passed (the exit code).
#pragma once

#include <string>

#include "options.h"
#include "run.h"

namespace strata::connload {

// Renders the result (sorting its latency samples). `cpu_s` is the client's user+system time.
std::string renderReport(const Options& options, RunResult& result, double cpu_s);

// Writes were sent and all acknowledged, none rejected, every writer connected, and every
// probe ran and always answered 2xx in time.
bool runPassed(const Options& options, const RunResult& result);

// User plus system CPU seconds of this process so far.
double processCpuSeconds();

}  // namespace strata::connload
