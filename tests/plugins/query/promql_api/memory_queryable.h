// A strata_queryable over in-memory promql::MemoryStorage, one per tenant: the C ABI a
// storage plugin would hand the host, so promql_api is tested through the same boundary.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <strata/sdk/metadata.hpp>
#include <strata/sdk/source_info.hpp>
#include <string>

#include "core/promql/memory_storage.h"
#include "strata/plugin_abi.h"

namespace strata::testing {

class MemoryQueryable {
 public:
  MemoryQueryable();
  // The storage of `tenant`, created on first use.
  promql::MemoryStorage& tenant(const std::string& name);
  const strata_queryable* queryable() const { return &q_; }
  // Number of select calls, to check that requests reach the source.
  int selects() const { return selects_; }
  // Makes every call fail with STRATA_FAILED.
  void setFailing(bool f) { failing_ = f; }
  // Metric family metadata the metadata slot answers, per tenant.
  void addMetadata(const std::string& tenant, sdk::MetricMetadata m);
  // Shrinks struct_size to ABI 1.0's: no metadata slot.
  void withoutMetadataSlot();
  // Fills the info slot with `info` (no info slot until called).
  void setInfo(sdk::SourceInfo info);

 private:
  static MemoryQueryable* self(void* p) { return static_cast<MemoryQueryable*>(p); }
  strata_queryable q_{};
  std::map<std::string, std::unique_ptr<promql::MemoryStorage>> tenants_;
  std::map<std::string, std::set<sdk::MetricMetadata>> metadata_;
  sdk::SourceInfo info_;
  int selects_ = 0;
  bool failing_ = false;
};

}  // namespace strata::testing
