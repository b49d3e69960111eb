// A strata_series_set that decodes ahead on two more threads: while the query engine works on
// one batch of series, the next batches' chunks are being decoded. On a machine with spare
// cores a large select then costs about the larger of decoding (spread over the workers) and
// evaluating, not their sum.
#pragma once

#include <strata/plugin_abi.h>

#include <vector>

#include "query/series_data.h"

namespace strata::block_store {

// Selections with fewer series are decoded inline: a thread would cost more than it saves.
inline constexpr size_t kPrefetchMinSeries = 512;

// Fills `out`; OWNERSHIP: the caller calls out->release() exactly once (it stops the threads).
void makePrefetchedSeriesSet(std::vector<SeriesData> series, int64_t min_t, int64_t max_t,
                             strata_series_set* out);

}  // namespace strata::block_store
