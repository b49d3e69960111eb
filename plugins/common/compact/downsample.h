// Downsampling one series into Thanos' aggregate chunks (tsdb/chunkenc/aggr_chunk.h), as
// Thanos' compactor does (pkg/compact/downsample): windows aligned to the resolution
// ([k*res, (k+1)*res), the window's sample at its last millisecond, (k+1)*res - 1) with
// count, sum, min and max of the window, and the counter aggregate: the first raw value, the
// reset-adjusted cumulative value at the end of each window, the raw last value (see
// counter_resets.h). Output chunks cover aligned runs of `windows_per_chunk` windows.
//   raw -> 5m: from the raw samples (staleness markers skipped);
//   5m -> 1h: from 5m aggregate chunks: counts and sums added, min of mins, max of maxes, the
//   counter re-aggregated over the reset-adjusted 5m counter series.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "compact/counter_resets.h"
#include "tsdb/block/block_writer.h"

namespace strata::compact {

inline constexpr int64_t kRes5m = 300'000;
inline constexpr int64_t kRes1h = 3'600'000;
inline constexpr size_t kWindowsPerChunk = 120;

// `raw`: one series' samples in time order.
std::vector<tsdb::ChunkData> downsampleRaw(const std::vector<Sample>& raw, int64_t resolution_ms,
                                           size_t windows_per_chunk = kWindowsPerChunk);

// `chunks`: one series' aggregate chunks (encoding kEncAggr) in time order, of a resolution
// finer than `resolution_ms`. Throws std::runtime_error on a chunk that does not decode.
std::vector<tsdb::ChunkData> downsampleAggr(const std::vector<tsdb::ChunkData>& chunks,
                                            int64_t resolution_ms,
                                            size_t windows_per_chunk = kWindowsPerChunk);

// Decodes one aggregate of an aggregate chunk (empty when absent); throws std::runtime_error
// when the chunk does not decode.
std::vector<Sample> decodeAggregate(const tsdb::ChunkData& chunk, int aggr_type);

}  // namespace strata::compact
