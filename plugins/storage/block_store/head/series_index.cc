#include "head/series_index.h"

#include <bit>

namespace strata::block_store {

size_t SeriesIndex::capacityFor(size_t n) {
  // At most 3/4 full, so probe runs stay short.
  size_t c = 16;
  while (c * 3 / 4 < n + 1) c *= 2;
  return c;
}

void SeriesIndex::resize(size_t capacity) {
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  shift_ = 64 - std::countr_zero(capacity);
}

void SeriesIndex::place(const Slot& s) {
  size_t i = home(s.hash);
  while (slots_[i].id != kNone) i = (i + 1) & mask_;
  slots_[i] = s;
  ++size_;
}

void SeriesIndex::insert(uint64_t hash, uint32_t id) {
  if ((size_ + 1) * 4 > slots_.size() * 3) {
    std::vector<Slot> old;
    old.swap(slots_);
    size_ = 0;
    resize(old.empty() ? 16 : old.size() * 2);
    for (const Slot& s : old)
      if (s.id != kNone) place(s);
  }
  place(Slot{hash, id});
}

}  // namespace strata::block_store
