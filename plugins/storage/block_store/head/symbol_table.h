// Interned strings of one tenant's head: every label name and value is stored once and
// series refer to it by a 32-bit id, which keeps per-series memory small. The bytes live in
// an arena of large blocks and get() is one array lookup: series lookups on every append
// compare labels through it. Strings are found through an open-addressing table of ids that
// keeps each string's hash by id, so neither a lookup nor a compaction allocates per string.
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
  static uint32_t hashOf(std::string_view s);
  std::string_view store(std::string_view s);
  uint32_t add(std::string_view s, uint32_t hash, uint32_t refs);
  // Fibonacci hashing: the slot a hash starts probing from.
  size_t home(uint32_t hash) const {
    return static_cast<size_t>((uint64_t{hash} * 0x9e3779b97f4a7c15ULL) >> shift_);
  }
  void placeId(uint32_t id);  // into slots_, which has room
  void resizeSlots(size_t capacity);

  std::vector<std::unique_ptr<char[]>> blocks_;  // never moved: views point into them
  size_t block_used_ = kBlockBytes;              // bytes used in blocks_.back()
  size_t arena_bytes_ = 0;                       // bytes of every block
  std::vector<std::string_view> views_;          // by id
  std::vector<uint32_t> refs_;                   // by id: holders of the symbol
  std::vector<uint32_t> hashes_;                 // by id: hashOf(the string)
  size_t dead_ = 0;                              // symbols with no holder
  std::vector<uint32_t> slots_;  // id + 1 by hash, 0 = empty; at most 3/4 full, 2^k long
  int shift_ = 64;
};

}  // namespace strata::block_store
