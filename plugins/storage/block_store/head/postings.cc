#include "head/postings.h"

#include <algorithm>
#include <iterator>

#include "head/head_memory.h"

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

void MemPostings::remove(const std::vector<bool>& gone) {
  auto drop = [&gone](PostingList& list) {
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&gone](uint32_t id) { return id < gone.size() && gone[id]; }),
               list.end());
  };
  drop(all_);
  for (auto n = by_name_.begin(); n != by_name_.end();) {
    for (auto v = n->second.begin(); v != n->second.end();) {
      drop(v->second);
      v = v->second.empty() ? n->second.erase(v) : std::next(v);
    }
    n = n->second.empty() ? by_name_.erase(n) : std::next(n);
  }
}

void MemPostings::remapSymbols(const std::vector<uint32_t>& remap) {
  // Nodes are moved from map to map with their key rewritten, never reallocated: a head of a
  // million series has millions of them.
  decltype(by_name_) renamed;
  renamed.reserve(by_name_.size());
  while (!by_name_.empty()) {
    auto name = by_name_.extract(by_name_.begin());
    auto& values = name.mapped();
    std::unordered_map<uint32_t, PostingList> into;
    into.reserve(values.size());
    while (!values.empty()) {
      auto value = values.extract(values.begin());
      value.key() = remap[value.key()];
      into.insert(std::move(value));
    }
    values = std::move(into);
    name.key() = remap[name.key()];
    renamed.insert(std::move(name));
  }
  by_name_ = std::move(renamed);
}

size_t MemPostings::memoryBytes() const {
  // unordered_map: a node (next pointer + value) per entry and a bucket array.
  size_t n = mallocBytes(all_.capacity() * 4) + by_name_.bucket_count() * sizeof(void*);
  for (const auto& [name, values] : by_name_) {
    n += mallocBytes(8 + sizeof(std::pair<const uint32_t, decltype(values)>));
    n += values.bucket_count() * sizeof(void*);
    for (const auto& [v, list] : values)
      n += mallocBytes(8 + sizeof(std::pair<const uint32_t, PostingList>)) +
           mallocBytes(list.capacity() * 4);
  }
  return n;
}

}  // namespace strata::block_store
