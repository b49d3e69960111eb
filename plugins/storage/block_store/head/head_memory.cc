// The head's memory breakdown (HeadMemory), computed from the structures' sizes and capacities.
#include <malloc.h>

#include "head/head.h"

namespace strata::block_store {

HeadMemory Head::memory() const {
  std::lock_guard<std::mutex> lock(mu_);
  HeadMemory m;
  m.series = live_series_;
  m.series_structs = series_.memoryBytes();
  series_.forEach([&m](uint32_t, const MemSeries& s) {
    m.series_structs += mallocBytes(sizeof(MemSeries)) + s.labelBytes();
    m.open_chunks += s.openChunkBytes();
    m.open_used += s.openChunkUsed();
    m.sealed_chunks += s.sealedBytes(&m.sealed_used);
    m.series_structs += mallocBytes(s.ooo.capacity() * sizeof(Sample));
  });
  m.symbol_count = symbols_.size();
  m.postings = postings_.memoryBytes();
  m.symbols = symbols_.memoryBytes();
  m.hash_index = by_hash_.memoryBytes();
  return m;
}

}  // namespace strata::block_store
