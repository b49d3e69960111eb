#include "metadata_cache.h"

#include <set>

namespace strata::rwexporter {

void MetadataCache::update(const sdk::BatchView& batch) {
  if (batch.metadataCount() == 0) return;
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < batch.metadataCount(); ++i) {
    sdk::MetricMetadata m = sdk::MetricMetadata::of(batch.metadata(i));
    if (m.family.empty()) continue;
    std::string key = m.family;
    families_[key] = std::move(m);
  }
}

std::vector<sdk::MetricMetadata> MetadataCache::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<sdk::MetricMetadata> out;
  out.reserve(families_.size());
  for (const auto& [name, m] : families_) out.push_back(m);
  return out;
}

bool MetadataCache::empty() const {
  std::lock_guard lock(mu_);
  return families_.empty();
}

void MetadataCache::attachTo(const std::vector<std::string_view>& series_names,
                             sdk::BatchBuilder& out) const {
  static constexpr std::string_view kSuffixes[] = {
      "", "_bucket", "_count", "_sum", "_total", "_created", "_gcount", "_gsum", "_info"};
  std::set<std::string_view> added;
  std::lock_guard lock(mu_);
  if (families_.empty()) return;
  for (std::string_view name : series_names) {
    for (std::string_view suffix : kSuffixes) {
      if (name.size() <= suffix.size() || !name.ends_with(suffix)) continue;
      auto it = families_.find(name.substr(0, name.size() - suffix.size()));
      if (it == families_.end()) continue;
      if (added.insert(it->second.family).second)
        out.addMetadata(it->second.family, it->second.type, it->second.help, it->second.unit);
      break;
    }
  }
}

}  // namespace strata::rwexporter
