// remote-write mode: every request body is built and compressed before the clock starts, then
// C connections send them (keep-alive), each owning whole groups of series so per-series order
// holds. Prints one `key=value` result line the driver parses.
#pragma once

#include "workload.h"
#include "workload_options.h"

namespace strata::avalanche {

// Returns the process exit code: 0 when every sample was acknowledged (and, where the answer
// says how many samples the receiver wrote, as 2.0 receivers do, it wrote them all).
int runRemoteWrite(const Workload& w, const ModeOptions& m);

}  // namespace strata::avalanche
