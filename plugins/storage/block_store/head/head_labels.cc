// Label names and values of the head for a time range: only series with data in the range
// count. When the range misses the head nothing is looked at; when it covers the whole head
// the postings answer without looking at series (as Prometheus' head does, which also lists
// the rare series whose every sample was refused).
#include <set>

#include "head/head.h"

namespace strata::block_store {

bool Head::anyOverlaps(const PostingList* ids, int64_t min_t, int64_t max_t) const {
  if (!ids) return false;
  for (uint32_t id : *ids)
    if (series_[id] && series_[id]->overlaps(min_t, max_t)) return true;
  return false;
}

std::vector<uint32_t> Head::selectIds(const std::vector<Matcher>& matchers, int64_t min_t,
                                      int64_t max_t) const {
  std::vector<uint32_t> ids = selectIds(matchers);
  if (min_t <= min_t_ && max_t >= max_t_) return ids;
  std::erase_if(ids, [&](uint32_t id) { return !series_[id]->overlaps(min_t, max_t); });
  return ids;
}

std::vector<std::string> Head::labelNames(const std::vector<Matcher>& matchers, int64_t min_t,
                                          int64_t max_t) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (min_t_ > max_t || max_t_ < min_t) return {};  // also when the head is empty
  const bool whole = min_t <= min_t_ && max_t >= max_t_;
  std::set<std::string_view> names;
  if (matchers.empty()) {
    for (uint32_t n : postings_.names()) {
      if (whole) {
        names.insert(symbols_.get(n));
        continue;
      }
      for (uint32_t v : postings_.values(n))
        if (anyOverlaps(postings_.get(n, v), min_t, max_t)) {
          names.insert(symbols_.get(n));
          break;
        }
    }
  } else {
    for (uint32_t id : selectIds(matchers, min_t, max_t)) {
      const MemSeries& s = *series_[id];
      for (uint32_t i = 0; i < s.label_count; ++i) names.insert(symbols_.get(s.labels[2 * i]));
    }
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> Head::labelValues(const std::string& name,
                                           const std::vector<Matcher>& matchers, int64_t min_t,
                                           int64_t max_t) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (min_t_ > max_t || max_t_ < min_t) return {};
  auto nid = symbols_.find(name);
  if (!nid) return {};
  const bool whole = min_t <= min_t_ && max_t >= max_t_;
  std::set<std::string_view> values;
  if (matchers.empty()) {
    for (uint32_t v : postings_.values(*nid))
      if (whole || anyOverlaps(postings_.get(*nid, v), min_t, max_t))
        values.insert(symbols_.get(v));
  } else {
    for (uint32_t id : selectIds(matchers, min_t, max_t)) {
      const MemSeries& s = *series_[id];
      for (uint32_t i = 0; i < s.label_count; ++i)
        if (s.labels[2 * i] == *nid) values.insert(symbols_.get(s.labels[2 * i + 1]));
    }
  }
  return {values.begin(), values.end()};
}

}  // namespace strata::block_store
