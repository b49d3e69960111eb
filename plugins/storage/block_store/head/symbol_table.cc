#include "head/symbol_table.h"

#include <cstring>

#include "head/head_memory.h"

namespace strata::block_store {

std::string_view SymbolTable::store(std::string_view s) {
  if (s.empty()) return std::string_view("", 0);
  if (s.size() > kBlockBytes / 4) {
    // A long string gets a block of its own, so it does not waste the rest of a shared one;
    // it goes before the current block, which stays the one being filled.
    auto own = std::make_unique<char[]>(s.size());
    std::memcpy(own.get(), s.data(), s.size());
    std::string_view v(own.get(), s.size());
    blocks_.insert(blocks_.empty() ? blocks_.end() : blocks_.end() - 1, std::move(own));
    arena_bytes_ += s.size();
    return v;
  }
  if (kBlockBytes - block_used_ < s.size()) {
    blocks_.push_back(std::make_unique<char[]>(kBlockBytes));
    block_used_ = 0;
    arena_bytes_ += kBlockBytes;
  }
  char* p = blocks_.back().get() + block_used_;
  std::memcpy(p, s.data(), s.size());
  block_used_ += s.size();
  return std::string_view(p, s.size());
}

uint32_t SymbolTable::add(std::string_view s, uint32_t refs) {
  auto id = static_cast<uint32_t>(views_.size());
  std::string_view kept = store(s);
  views_.push_back(kept);
  refs_.push_back(refs);
  ids_.emplace(kept, id);
  return id;
}

uint32_t SymbolTable::intern(std::string_view s) {
  auto it = ids_.find(s);
  if (it == ids_.end()) return add(s, 1);
  uint32_t id = it->second;
  if (refs_[id]++ == 0) --dead_;  // a dead symbol in use again before any compaction
  return id;
}

void SymbolTable::release(uint32_t id) {
  if (--refs_[id] == 0) ++dead_;
}

std::optional<uint32_t> SymbolTable::find(std::string_view s) const {
  auto it = ids_.find(s);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

SymbolTable SymbolTable::compacted(std::vector<uint32_t>* remap) const {
  SymbolTable out;
  const size_t live = views_.size() - dead_;
  out.views_.reserve(live);
  out.refs_.reserve(live);
  out.ids_.reserve(live);
  remap->assign(views_.size(), kDropped);
  for (uint32_t id = 0; id < views_.size(); ++id)
    if (refs_[id] > 0) (*remap)[id] = out.add(views_[id], refs_[id]);
  return out;
}

size_t SymbolTable::memoryBytes() const {
  // The arena's blocks, the views and reference counts by id, and the map: a node (next,
  // key, value, cached hash) per string and a bucket array.
  size_t n = arena_bytes_ + views_.capacity() * sizeof(std::string_view) +
             refs_.capacity() * sizeof(uint32_t) + ids_.bucket_count() * sizeof(void*);
  n += ids_.size() * mallocBytes(8 + sizeof(std::string_view) + 8 + 8);
  return n;
}

}  // namespace strata::block_store
