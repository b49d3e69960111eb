// The debug exporter's descriptor: counts, logs and optionally records what it receives.
#include <strata/sdk.hpp>

#include "debug_exporter.h"

namespace {

using strata::sdk::option;

const strata_option_def kOptions[] = {
    option("verbosity", STRATA_OPT_STRING, "basic",
           "basic (count only) or detailed (also log every series)."),
    option("output_file", STRATA_OPT_STRING, "\"\"",
           "When set, append one line per sample: <series> <value> <timestamp_ms>."),
};

const strata_component_def kDebug =
    strata::sdk::component<strata::debug::DebugExporter, &strata::debug::DebugExporter::validate>(
        STRATA_KIND_EXPORTER, "debug", "Counts, logs and optionally records received samples.",
        STRATA_EDGE_METRICS, 0, kOptions);

}  // namespace

STRATA_PLUGIN("debug", "0.1.0", &kDebug);
