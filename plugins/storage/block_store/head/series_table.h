// The head's series by id. Ids are the WAL's series refs, so they are never renumbered, and
// never reused within a run: the checkpoint that deletes a removed series' WAL record runs
// after the head's lock is released, so a new series given the same ref in between would have
// its own record deleted and its acknowledged samples dropped at the next replay. Under churn
// the ids keep growing while the live ones thin out. A flat vector indexed by id would keep a slot
// for every series ever created (8 B each, forever); here slots come in pages of 256 and a page is
// freed as soon as its last series goes, so memory follows the live series (at worst a page per
// live series when long-lived ones are scattered among churned ones). What stays per id ever handed
// out is one page pointer per 256 ids.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "head/mem_series.h"

namespace strata::block_store {

// THREAD: not synchronised; the owning Head's lock guards it.
class SeriesTable {
 public:
  // The series with this id, or null (never created, or removed).
  MemSeries* operator[](uint32_t id) const {
    size_t page = id >> kPageBits;
    if (page >= pages_.size() || !pages_[page]) return nullptr;
    return pages_[page]->slots[id & kPageMask].get();
  }
  // One past the highest id ever stored: the next id to hand out.
  uint32_t endId() const { return end_id_; }
  MemSeries* put(uint32_t id, std::unique_ptr<MemSeries> series);
  // Destroys the series; its page goes with its last series.
  void erase(uint32_t id);
  // Calls f(id, MemSeries&) for every series, in id order.
  template <class F>
  void forEach(F&& f) const {
    for (size_t p = 0; p < pages_.size(); ++p) {
      if (!pages_[p]) continue;
      for (uint32_t i = 0; i < kPageSize; ++i)
        if (MemSeries* s = pages_[p]->slots[i].get())
          f(static_cast<uint32_t>(p << kPageBits | i), *s);
    }
  }
  size_t memoryBytes() const;  // pages and the page directory, not the series (HeadMemory)

 private:
  static constexpr uint32_t kPageBits = 8;
  static constexpr uint32_t kPageSize = 1u << kPageBits;
  static constexpr uint32_t kPageMask = kPageSize - 1;
  struct Page {
    std::array<std::unique_ptr<MemSeries>, kPageSize> slots;
    uint32_t used = 0;
  };

  std::vector<std::unique_ptr<Page>> pages_;  // by id >> kPageBits; null when empty
  uint32_t end_id_ = 0;
};

}  // namespace strata::block_store
