// The relabel processor's descriptor.
#include <strata/sdk.hpp>

#include "relabel_processor.h"

namespace {

const strata_option_def kOptions[] = {
    strata::sdk::object("relabel_configs", STRATA_OPT_OBJECT_LIST,
                        "Prometheus relabel_configs, applied in order to every series.",
                        strata::relabel::kRuleOptions),
};

using strata::relabel::RelabelProcessor;
const strata_component_def kProcessor =
    strata::sdk::component<RelabelProcessor, &RelabelProcessor::validate>(
        STRATA_KIND_PROCESSOR, "relabel", "Prometheus relabel_configs on every series.",
        STRATA_EDGE_METRICS, STRATA_EDGE_METRICS, kOptions);

}  // namespace

STRATA_PLUGIN("relabel_processor", "0.1.0", &kProcessor);
