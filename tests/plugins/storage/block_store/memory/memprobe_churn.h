// The memory probe's churn mode: generation after generation of series that replace each
// other, as a Kubernetes rollout replaces every pod, with a block cut between generations.
#pragma once

#include <cstdint>

#include "block_store.h"
#include "fake_host.h"
#include "workload.h"

namespace strata::memprobe {

// The block duration churn mode needs: one generation (all of the workload's steps) per block.
inline int64_t churnBlockMs(const avalanche::Workload& w) {
  return w.steps() * w.options().interval_ms;
}

// Ingests `generations` generations into the store's tenant "probe", each in its own block
// range [base + g * block, base + (g + 1) * block): every slot's workload labels plus a `pod`
// and a `container_id` unique to the generation. After each generation the due block is cut,
// which removes the generation before it from the head. Prints one line per generation: head
// series and symbols, the head's memory (Head::memory()) per live series, RSS after
// malloc_trim, the cut's time and the symbol table rebuilds so far.
void runChurn(block_store::BlockStore& store, testing::FakeHost& fake, const avalanche::Workload& w,
              int64_t per_batch, int64_t generations);

}  // namespace strata::memprobe
