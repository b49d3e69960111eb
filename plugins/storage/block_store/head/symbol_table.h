// Interned strings of one tenant's head: every label name and value is stored once and
// series refer to it by a 32-bit id, which keeps per-series memory small. The bytes live in
// an arena of large blocks and get() is one array lookup: series lookups on every append
// compare labels through it.
//
// Each symbol counts its holders (intern() takes a reference, release() gives it back), so
// the head knows at any time how many symbols only removed series used. The arena cannot
// free single strings; compacted() copies the live symbols into a new table instead, and the
// head remaps the ids it stores (Head::rebuildSymbols).
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
  static constexpr uint32_t kDropped = UINT32_MAX;  // compacted()'s id for a dead symbol

  // The id of `s`, interning it if needed, and one more reference to it.
  uint32_t intern(std::string_view s);
  // Gives back one reference taken by intern(); at zero the symbol is dead (still stored).
  void release(uint32_t id);
  // Looks up without taking a reference; dead symbols are still found until a compaction.
  std::optional<uint32_t> find(std::string_view s) const;
  std::string_view get(uint32_t id) const { return views_[id]; }
  size_t size() const { return views_.size(); }  // live and dead
  size_t dead() const { return dead_; }
  // A table of only the live symbols, in the same relative order and with the same
  // reference counts; (*remap)[old id] is the new id, or kDropped for a dead symbol.
  SymbolTable compacted(std::vector<uint32_t>* remap) const;
  size_t memoryBytes() const;  // allocator bytes (HeadMemory)

 private:
  static constexpr size_t kBlockBytes = 64 << 10;
  std::string_view store(std::string_view s);
  uint32_t add(std::string_view s, uint32_t refs);

  std::vector<std::unique_ptr<char[]>> blocks_;  // never moved: views point into them
  size_t block_used_ = kBlockBytes;              // bytes used in blocks_.back()
  size_t arena_bytes_ = 0;                       // bytes of every block
  std::vector<std::string_view> views_;          // by id
  std::vector<uint32_t> refs_;                   // by id: holders of the symbol
  size_t dead_ = 0;                              // symbols with no holder
  std::unordered_map<std::string_view, uint32_t> ids_;
};

}  // namespace strata::block_store
