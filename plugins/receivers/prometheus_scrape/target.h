// A scrape target as Prometheus builds it (scrape/target.go PopulateLabels, 2.42): discovered
// labels + job defaults (job, __scrape_interval__, __scrape_timeout__, __metrics_path__,
// __scheme__, __param_*), then relabel_configs, then __meta_* removed, a default port added,
// and instance defaulted to __address__.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "relabel/label_set.h"
#include "scrape_config.h"

namespace strata::scrape {

struct Target {
  relabel::LabelSet labels;         // final, including __address__, __scheme__, ... (no __meta_*)
  relabel::LabelSet discovered;     // before relabeling, for debugging
  relabel::LabelSet public_labels;  // labels() without the "__" ones: added to every series
  std::string url;
  int64_t interval_ms = 0, timeout_ms = 0;
  uint64_t hash = 0;  // identity: job + final labels; spreads scrapes over the interval
};

// Builds the target from one discovered label set (with __address__). Returns nullopt when
// relabeling dropped it (error empty) or it is invalid (error set).
std::optional<Target> buildTarget(const JobConfig& job, const relabel::LabelSet& discovered,
                                  std::string* error);

// Go's model.Duration text: "15s", "1m30s", "500ms", "0s".
std::string formatDuration(int64_t ms);
// Prometheus duration syntax ("1h30m", "500ms"); false when invalid.
bool parseDuration(std::string_view s, int64_t* ms);

}  // namespace strata::scrape
