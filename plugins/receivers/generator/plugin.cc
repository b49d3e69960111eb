// The generator receiver's descriptor: synthetic series for tests and demos.
#include <strata/sdk.hpp>

#include "generator.h"

namespace {

using strata::sdk::option;

const strata_option_def kOptions[] = {
    option("series", STRATA_OPT_INT, "10", "Number of series; each tick emits one sample each."),
    option("interval", STRATA_OPT_DURATION, "1s", "Time between ticks."),
    option("metric_name", STRATA_OPT_STRING, "strata_generated", "The __name__ of every series."),
    option("labels", STRATA_OPT_STRING_MAP, nullptr, "Extra labels on every series."),
    option("tenant", STRATA_OPT_STRING, "\"\"", "Tenant of the emitted batches."),
    option("kind", STRATA_OPT_STRING, "counter",
           "counter (values only go up) or gauge (a wave per series)."),
};

const strata_component_def kGenerator =
    strata::sdk::component<strata::generator::Generator, &strata::generator::Generator::validate>(
        STRATA_KIND_RECEIVER, "generator", "Emits synthetic series at a fixed interval.", 0,
        STRATA_EDGE_METRICS, kOptions);

}  // namespace

STRATA_PLUGIN("generator", "0.1.0", &kGenerator);
