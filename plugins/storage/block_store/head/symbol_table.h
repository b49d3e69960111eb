// Interned strings of one tenant's head: every label name and value is stored once and
// series refer to it by a 32-bit id, which keeps per-series memory small.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace strata::block_store {

// THREAD: not synchronised; the owning Head's lock guards it.
class SymbolTable {
 public:
  uint32_t intern(std::string_view s);
  std::optional<uint32_t> find(std::string_view s) const;
  std::string_view get(uint32_t id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }
  size_t memoryBytes() const;  // allocator bytes (HeadMemory)

 private:
  std::deque<std::string> strings_;  // a deque keeps addresses stable for the map's keys
  std::unordered_map<std::string_view, uint32_t> ids_;
};

}  // namespace strata::block_store
