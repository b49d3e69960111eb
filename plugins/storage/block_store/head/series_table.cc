#include "head/series_table.h"

#include "head/head_memory.h"

namespace strata::block_store {

MemSeries* SeriesTable::put(uint32_t id, std::unique_ptr<MemSeries> series) {
  size_t p = id >> kPageBits;
  if (pages_.size() <= p) pages_.resize(p + 1);
  if (!pages_[p]) pages_[p] = std::make_unique<Page>();
  auto& slot = pages_[p]->slots[id & kPageMask];
  if (!slot) ++pages_[p]->used;
  slot = std::move(series);
  if (id >= end_id_) end_id_ = id + 1;
  return slot.get();
}

void SeriesTable::erase(uint32_t id) {
  size_t p = id >> kPageBits;
  if (p >= pages_.size() || !pages_[p]) return;
  auto& slot = pages_[p]->slots[id & kPageMask];
  if (!slot) return;
  slot.reset();
  if (--pages_[p]->used == 0) pages_[p].reset();
}

size_t SeriesTable::memoryBytes() const {
  size_t n = mallocBytes(pages_.capacity() * sizeof(pages_[0]));
  for (const auto& page : pages_)
    if (page) n += mallocBytes(sizeof(Page));
  return n;
}

}  // namespace strata::block_store
