// The external_labels processor: Prometheus' global external_labels, added to every series
// that does not already carry a label of that name (a series' own label wins, as in
// Prometheus remote write). Stateless; consume() may run concurrently.
#pragma once

#include <strata/sdk.hpp>
#include <string>
#include <utility>
#include <vector>

namespace strata::external_labels {

class ExternalLabels : public sdk::Component {
 public:
  ExternalLabels(sdk::Host host, sdk::ConfigView config);
  strata_status consume(strata_metrics_batch* batch) override;
  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink);

 private:
  std::vector<std::pair<std::string, std::string>> labels_;  // sorted by name
};

// Rebuilds `in` with `labels` added where absent. OWNERSHIP: the caller owns the result.
strata_metrics_batch* addExternalLabels(
    const sdk::BatchView& in, const std::vector<std::pair<std::string, std::string>>& labels);

}  // namespace strata::external_labels
