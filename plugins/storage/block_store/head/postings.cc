#include "head/postings.h"

namespace strata::block_store {

void MemPostings::add(uint32_t series_id, uint32_t name_id, uint32_t value_id) {
  auto& list = by_name_[name_id][value_id];
  if (list.empty() || list.back() < series_id) list.push_back(series_id);
  if (all_.empty() || all_.back() < series_id) all_.push_back(series_id);
}

const PostingList* MemPostings::get(uint32_t name_id, uint32_t value_id) const {
  auto n = by_name_.find(name_id);
  if (n == by_name_.end()) return nullptr;
  auto v = n->second.find(value_id);
  return v == n->second.end() ? nullptr : &v->second;
}

std::vector<uint32_t> MemPostings::values(uint32_t name_id) const {
  std::vector<uint32_t> out;
  auto n = by_name_.find(name_id);
  if (n == by_name_.end()) return out;
  out.reserve(n->second.size());
  for (const auto& [v, list] : n->second) out.push_back(v);
  return out;
}

std::vector<uint32_t> MemPostings::names() const {
  std::vector<uint32_t> out;
  for (const auto& [n, values] : by_name_) out.push_back(n);
  return out;
}

}  // namespace strata::block_store
