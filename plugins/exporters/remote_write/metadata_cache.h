// The latest TYPE/HELP/UNIT per metric family seen in the exporter's input, in memory: what
// the metadata sender sends periodically (1.0) and what 2.0 requests attach per series. As in
// Prometheus, whose remote write reads it from the scrape cache, it is not persisted; the
// scrape receiver resends it every metadata_interval, which refills it after a restart.
//
// THREAD: any, concurrently.
#pragma once

#include <map>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

namespace strata::rwexporter {

class MetadataCache {
 public:
  // Keeps the batch's metadata (the newest wins per family).
  void update(const sdk::BatchView& batch);
  // Every family, sorted by name.
  std::vector<sdk::MetricMetadata> snapshot() const;
  // Adds to `out` the metadata of the families that series with these metric names belong
  // to (the name, or the name without a sample suffix: _bucket, _count, _sum, _total, ...),
  // once each, for a 2.0 request built from `out`.
  void attachTo(const std::vector<std::string_view>& series_names, sdk::BatchBuilder& out) const;
  bool empty() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, sdk::MetricMetadata, std::less<>> families_;
};

}  // namespace strata::rwexporter
