// The prometheus_scrape receiver's descriptor: Prometheus scrape_configs in.
#include <strata/sdk.hpp>

#include "scrape_options.h"
#include "scrape_receiver.h"

namespace {

using strata::scrape::ScrapeReceiver;
const strata_component_def kReceiver =
    strata::sdk::component<ScrapeReceiver, &ScrapeReceiver::validate>(
        STRATA_KIND_RECEIVER, "prometheus_scrape",
        "Scrapes Prometheus text 0.0.4 / OpenMetrics targets (static, file and HTTP SD).", 0,
        STRATA_EDGE_METRICS, strata::scrape::kReceiverOptions);

}  // namespace

STRATA_PLUGIN("prometheus_scrape_receiver", "0.1.0", &kReceiver);
