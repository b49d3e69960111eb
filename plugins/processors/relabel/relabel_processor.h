// The relabel processor: Prometheus relabel_configs applied to every series of a batch, which
// is rebuilt without the dropped series. Runs inline on the caller's thread; stateless, so
// consume() may run concurrently.
#pragma once

#include <strata/sdk.hpp>
#include <vector>

#include "relabel/relabel_rule.h"

namespace strata::relabel {

class RelabelProcessor : public sdk::Component {
 public:
  RelabelProcessor(sdk::Host host, sdk::ConfigView config);
  strata_status consume(strata_metrics_batch* batch) override;
  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink);

 private:
  std::vector<Rule> rules_;
  sdk::Metric dropped_series_, dropped_samples_;
};

// Rebuilds `in` with `rules` applied; series that are dropped or left without labels are not
// copied, and their count is added to *dropped_series / *dropped_samples. Flags and tenant are
// kept. OWNERSHIP: the caller owns the result; `in` is untouched.
strata_metrics_batch* relabelBatch(const sdk::BatchView& in, const std::vector<Rule>& rules,
                                   size_t* dropped_series, size_t* dropped_samples);

}  // namespace strata::relabel
