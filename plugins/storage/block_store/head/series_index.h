// The head's series ids by the stable hash of their labels: an open-addressing table of
// (hash, id) slots in one array, probed linearly. Found on every append for every series, so
// it is one cache miss rather than the bucket, node and pointer chain of a node-based map.
// Ids that share a hash (a 64-bit collision) each get a slot; the caller's predicate picks the
// one whose labels match.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace strata::block_store {

// THREAD: not synchronised; the owning Head's lock guards it.
class SeriesIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // The first id with `hash` for which same(id) holds, or kNone.
  template <class Same>
  uint32_t find(uint64_t hash, Same&& same) const {
    if (slots_.empty()) return kNone;
    for (size_t i = home(hash);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.id == kNone) return kNone;
      if (s.hash == hash && same(s.id)) return s.id;
    }
  }
  void insert(uint64_t hash, uint32_t id);
  // Drops every id for which gone(id) holds (after head GC), rebuilding the table.
  template <class Gone>
  void removeIf(Gone&& gone) {
    std::vector<Slot> old;
    old.swap(slots_);
    size_ = 0;
    size_t keep = 0;
    for (const Slot& s : old) keep += s.id != kNone && !gone(s.id);
    resize(capacityFor(keep));
    for (const Slot& s : old)
      if (s.id != kNone && !gone(s.id)) place(s);
  }
  size_t size() const { return size_; }
  size_t memoryBytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t id = kNone;
  };
  // Fibonacci hashing: spreads hashes whose low bits are alike over the table.
  size_t home(uint64_t hash) const {
    return static_cast<size_t>((hash * 0x9e3779b97f4a7c15ULL) >> shift_) & mask_;
  }
  static size_t capacityFor(size_t n);
  void resize(size_t capacity);
  void place(const Slot& s);

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 64;
  size_t size_ = 0;
};

}  // namespace strata::block_store
