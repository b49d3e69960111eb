// Reading a downsampled block's aggregate chunk (tsdb/chunkenc/aggr_chunk.h) as plain samples
// for a select: which aggregate feeds them depends on the PromQL function over the selector
// (the select hints' function), as Thanos' query does (aggrsFromFunc):
//   min_over_time -> min; max_over_time -> max; sum_over_time -> sum;
//   rate, increase, irate, resets -> counter (resets applied across chunks, see
//     compact/counter_resets.h, so increase between two samples equals the raw increase);
//   count_over_time -> count, expanded: a window of count n gives n samples at its last n
//     milliseconds (beyond Thanos, whose answer counts windows), so count_over_time over
//     window-aligned ranges equals the raw count;
//   anything else (a plain selector, avg_over_time, ...) -> sum / count per window.
// One sample per window at the window's last millisecond.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "compact/counter_resets.h"
#include "series_stream.h"

namespace strata::store_gateway {

enum class AggrRead { kAvg, kCounter, kMin, kMax, kSum, kCount };

AggrRead aggregateFor(std::string_view function);

// Appends the samples of `mode` (not kCounter) in [min_t, max_t] of the aggregate chunk's
// data (no encoding byte). Throws std::runtime_error when it does not decode.
void readAggregate(const uint8_t* data, size_t len, AggrRead mode, int64_t min_t, int64_t max_t,
                   std::vector<Sample>* out);

// The chunk's counter sub-chunk, decoded whole (for compact::applyCounterResets). Throws like
// readAggregate.
std::vector<compact::Sample> readCounter(const uint8_t* data, size_t len);

}  // namespace strata::store_gateway
