// Compacting the head's symbol table after head GC. Under series churn (pod names,
// container ids) every new series brings label values no later series uses; the removed
// series' symbols would otherwise stay in the arena forever.
//
// Only symbol ids are renumbered, never series ids: series ids are the WAL's refs (series
// record keys and the refs inside sample records that outlive a checkpoint), so renumbering
// them would mean rewriting the WAL's tail atomically with the head. Symbol ids never leave
// the head: the WAL and every answer carry label strings, copied under the lock.
#include "head/head.h"

namespace strata::block_store {

size_t Head::rebuildSymbols() {
  // Every holder of a symbol id: the series' label arrays and the postings' keys. A postings
  // key exists only while a live series carries the pair, so the series' references count
  // for both.
  std::vector<uint32_t> remap;
  SymbolTable live = symbols_.compacted(&remap);
  series_.forEach([&remap](uint32_t, MemSeries& s) {
    for (uint32_t i = 0; i < 2 * s.label_count; ++i) s.labels[i] = remap[s.labels[i]];
  });
  postings_.remapSymbols(remap);
  const size_t dropped = symbols_.size() - live.size();
  symbols_ = std::move(live);
  return dropped;
}

}  // namespace strata::block_store
