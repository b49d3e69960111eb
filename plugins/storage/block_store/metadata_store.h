// The latest TYPE/HELP/UNIT per tenant and metric family, from the metadata that batches
// carry (ABI 1.1). In memory only, like Prometheus, which keeps metadata in its scrape cache
// and never in the TSDB: after a restart it is empty until the receivers send it again
// (they do when it changes and every metadata_interval / send_interval).
//
// THREAD: any, concurrently.
#pragma once

#include <cstddef>
#include <map>
#include <shared_mutex>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

namespace strata::block_store {

class MetadataStore {
 public:
  // Keeps every entry of the batch for `tenant` (the newest wins per family). Entries beyond
  // `max_families` new families of a tenant are dropped; returns how many were dropped.
  size_t update(const std::string& tenant, const sdk::BatchView& batch, size_t max_families);

  // Sorted by family; of `tenant`, or of every tenant when it is empty (distinct entries);
  // only `metric` when it is not empty; at most `limit` families when limit > 0.
  std::vector<sdk::MetricMetadata> query(const std::string& tenant, const std::string& metric,
                                         size_t limit) const;

  size_t families() const;

 private:
  struct Entry {
    uint32_t type = STRATA_FAMILY_UNKNOWN;
    std::string help, unit;
  };
  using Families = std::map<std::string, Entry, std::less<>>;

  mutable std::shared_mutex mu_;
  std::map<std::string, Families> tenants_;
};

}  // namespace strata::block_store
