// Re-encoding a series' consecutive XOR chunks into fewer, larger ones when a block is
// written: each chunk costs a header and a CRC in the chunk file and a chunk meta in the
// index, so chunks of 240 samples instead of the head's 120 make a block smaller; the price is
// decoding more samples whenever a query touches a chunk.
#pragma once

#include <cstddef>
#include <vector>

#include "tsdb/block/block_writer.h"

namespace strata::tsdb {

// The largest sample count an XOR chunk can hold (16-bit count header).
inline constexpr size_t kMaxChunkSamples = 0xffff;

// Chunks of one series (time order, not overlapping) re-cut into as few chunks of at most
// `max_samples` samples as possible, the samples spread evenly over them. The chunks are
// returned as they are when `max_samples` is 0, when they are already that few and none is
// larger (so 120 keeps a head's 120-sample layout byte for byte), or when one does not
// decode (nothing is lost by refusing to re-encode it). `max_samples` above kMaxChunkSamples
// counts as kMaxChunkSamples.
std::vector<ChunkData> rechunk(std::vector<ChunkData> chunks, size_t max_samples);

}  // namespace strata::tsdb
