// The C strata_series_set over merged SeriesData: series in label order, samples decoded
// lazily by a SampleIterator as the caller reads them.
#pragma once

#include <strata/plugin_abi.h>

#include <vector>

#include "query/series_data.h"

namespace strata::block_store {

// Merges the per-source results: series with equal labels become one, with all their chunks.
std::vector<SeriesData> mergeSeries(std::vector<std::vector<SeriesData>> parts);

// Fills `out`; OWNERSHIP: the caller calls out->release() exactly once. With `decode_ahead`,
// a large selection is decoded on a second thread (prefetched_series_set.h).
void makeSeriesSet(std::vector<SeriesData> series, int64_t min_t, int64_t max_t, bool decode_ahead,
                   strata_series_set* out);

}  // namespace strata::block_store
