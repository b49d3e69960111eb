// The external_labels processor's descriptor.
#include <strata/sdk.hpp>

#include "external_labels.h"

namespace {

const strata_option_def kOptions[] = {
    strata::sdk::option("labels", STRATA_OPT_STRING_MAP, nullptr,
                        "Labels added to every series that lacks a label of that name."),
};

using strata::external_labels::ExternalLabels;
const strata_component_def kProcessor =
    strata::sdk::component<ExternalLabels, &ExternalLabels::validate>(
        STRATA_KIND_PROCESSOR, "external_labels",
        "Adds Prometheus external labels to series that do not have them.", STRATA_EDGE_METRICS,
        STRATA_EDGE_METRICS, kOptions);

}  // namespace

STRATA_PLUGIN("external_labels_processor", "0.1.0", &kProcessor);
