#include "head/symbol_table.h"

#include "head/head_memory.h"

namespace strata::block_store {

uint32_t SymbolTable::intern(std::string_view s) {
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  auto id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(std::string_view(strings_.back()), id);
  return id;
}

std::optional<uint32_t> SymbolTable::find(std::string_view s) const {
  auto it = ids_.find(s);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

size_t SymbolTable::memoryBytes() const {
  // The deque's blocks hold the string objects; long strings have their own buffer; the map
  // has a node (next, key, value, cached hash) per string and a bucket array.
  size_t n = strings_.size() * sizeof(std::string) + ids_.bucket_count() * sizeof(void*);
  for (const auto& s : strings_)
    if (s.size() > 15) n += mallocBytes(s.size() + 1);
  n += ids_.size() * mallocBytes(8 + sizeof(std::string_view) + 8 + 8);
  return n;
}

}  // namespace strata::block_store
