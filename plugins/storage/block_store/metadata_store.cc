#include "metadata_store.h"

#include <mutex>
#include <set>

namespace strata::block_store {

size_t MetadataStore::update(const std::string& tenant, const sdk::BatchView& batch,
                             size_t max_families) {
  size_t n = batch.metadataCount(), dropped = 0;
  if (n == 0) return 0;
  std::unique_lock<std::shared_mutex> lock(mu_);
  Families& fams = tenants_[tenant];
  for (size_t i = 0; i < n; ++i) {
    const strata_metric_metadata& m = batch.metadata(i);
    std::string_view family = sdk::view(m.metric_family);
    if (family.empty()) continue;
    auto it = fams.find(family);
    if (it == fams.end()) {
      if (max_families > 0 && fams.size() >= max_families) {
        ++dropped;
        continue;
      }
      it = fams.emplace(std::string(family), Entry{}).first;
    }
    Entry& e = it->second;
    e.type = m.type;
    e.help.assign(sdk::view(m.help));
    e.unit.assign(sdk::view(m.unit));
  }
  return dropped;
}

std::vector<sdk::MetricMetadata> MetadataStore::query(const std::string& tenant,
                                                      const std::string& metric,
                                                      size_t limit) const {
  std::set<sdk::MetricMetadata> out;  // sorted by family, distinct across tenants
  std::set<std::string_view> families;
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto collect = [&](const Families& fams) {
    auto add = [&](const std::string& family, const Entry& e) {
      if (limit > 0 && !families.count(family) && families.size() >= limit) return;
      families.insert(family);
      out.insert({family, e.type, e.help, e.unit});
    };
    if (!metric.empty()) {
      auto it = fams.find(metric);
      if (it != fams.end()) add(it->first, it->second);
      return;
    }
    for (const auto& [family, e] : fams) add(family, e);
  };
  if (tenant.empty()) {
    for (const auto& [name, fams] : tenants_) collect(fams);
  } else if (auto it = tenants_.find(tenant); it != tenants_.end()) {
    collect(it->second);
  }
  return {out.begin(), out.end()};
}

size_t MetadataStore::families() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [name, fams] : tenants_) n += fams.size();
  return n;
}

}  // namespace strata::block_store
