// Interned strings of one tenant's head: every label name and value is stored once and
// series refer to it by a 32-bit id, which keeps per-series memory small. The bytes live in
// an arena of large blocks and get() is one array lookup: series lookups on every append
// compare labels through it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata::block_store {

// THREAD: not synchronised; the owning Head's lock guards it.
class SymbolTable {
 public:
  uint32_t intern(std::string_view s);
  std::optional<uint32_t> find(std::string_view s) const;
  std::string_view get(uint32_t id) const { return views_[id]; }
  size_t size() const { return views_.size(); }
  size_t memoryBytes() const;  // allocator bytes (HeadMemory)

 private:
  static constexpr size_t kBlockBytes = 64 << 10;
  std::string_view store(std::string_view s);

  std::vector<std::unique_ptr<char[]>> blocks_;  // never moved: views point into them
  size_t block_used_ = kBlockBytes;              // bytes used in blocks_.back()
  size_t arena_bytes_ = 0;                       // bytes of every block
  std::vector<std::string_view> views_;          // by id
  std::unordered_map<std::string_view, uint32_t> ids_;
};

}  // namespace strata::block_store
