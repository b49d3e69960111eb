// Text renderings of the workload: Prometheus text format 0.0.4 for one step (serve mode) and
// OpenMetrics 1.0 with timestamps for every step (promtool tsdb create-blocks-from openmetrics).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "workload.h"

namespace strata::avalanche {

// Every series' value at `step`, no timestamps; families grouped, each with its # TYPE line.
std::string renderText(const Workload& w, int64_t step);

// Every sample, each family contiguous, each series' samples in time order, ending `# EOF`.
// Returns the number of samples written, or -1 on a write error.
int64_t writeOpenMetrics(const Workload& w, std::FILE* out);

}  // namespace strata::avalanche
