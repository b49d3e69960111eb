// The standard process_* series every Prometheus client exports, read from /proc/self, so a
// Strata node's /metrics looks like any other Prometheus target's.
#pragma once

#include "core/telemetry/metrics_registry.h"

namespace strata::telemetry {

// Sets process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds and
// process_start_time_seconds. Call before each render of /metrics. Series that cannot be read
// (no /proc) are left unchanged. THREAD: any.
void updateProcessMetrics(MetricsRegistry& registry);

}  // namespace strata::telemetry
