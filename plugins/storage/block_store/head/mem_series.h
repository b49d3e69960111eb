// One series of the head, kept compact (the budget is ~2 KB RSS per active series):
// labels as interned symbol ids, one open XOR chunk, sealed chunks as exact-size byte arrays
// and, only when the out-of-order window is used, a small sorted sample buffer.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "query/series_data.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::block_store {

inline constexpr size_t kSamplesPerChunk = 120;  // Prometheus' target

class ChunkFile;

// A closed chunk: its bytes in the head's ChunkFile at `offset`, or in `data` when the head
// keeps chunks in memory (no chunk dir, or the file write failed).
struct SealedChunk {
  int64_t min_t, max_t;
  std::unique_ptr<uint8_t[]> data;
  uint64_t offset;
  uint32_t len;
};

// What the head's sealed chunks look like on average: a new series' first chunk reserves
// that much up front instead of growing by reallocation, which leaves holes in the heap.
struct ChunkStats {
  uint64_t bytes = 0, samples = 0;
  size_t firstChunkGuess() const {
    return samples < 1000 ? 0 : static_cast<size_t>(bytes * kSamplesPerChunk / samples) + 32;
  }
};

enum class AppendOutcome { kAppended, kIgnored, kOutOfOrder, kTooOld, kDuplicate };

struct MemSeries {
  std::unique_ptr<uint32_t[]> labels;  // name id, value id pairs, sorted by name
  uint32_t label_count = 0;
  bool durable = false;  // its series record is in the WAL
  int64_t last_t = std::numeric_limits<int64_t>::min();
  double last_v = 0;
  int64_t chunk_end = 0;  // the open chunk is cut before a sample at or after this time
  std::unique_ptr<tsdb::XorAppender> open;
  std::vector<SealedChunk> sealed;  // time order
  std::vector<Sample> ooo;          // out-of-order samples, sorted by time, unique

  // In-order append; chunks are cut at 120 samples and at block boundaries so that no chunk
  // ever straddles two blocks.
  void appendInOrder(int64_t t, double v, int64_t block_duration, ChunkFile* file,
                     ChunkStats* stats);
  // Inserts into the out-of-order buffer: kAppended, kIgnored (same sample) or kDuplicate.
  AppendOutcome insertOutOfOrder(int64_t t, double v);
  // file may be null: keep the bytes in memory. stats (may be null) counts the sealed chunk.
  void sealOpen(ChunkFile* file, ChunkStats* stats = nullptr);
  // Removes every sample before t.
  void dropBefore(int64_t t);
  int64_t minTime() const;  // max int64 when empty
  // Whether the series has data in [min_t, max_t]: by chunk bounds (a chunk spanning the
  // range without a sample inside counts, as in Prometheus), exact for out-of-order samples.
  bool overlaps(int64_t min_t, int64_t max_t) const;

  // Memory accounting (HeadMemory): allocator bytes of the label array, the open chunk, the
  // sealed chunks (and the encoded bytes they hold, added to *used).
  size_t labelBytes() const;
  size_t openChunkBytes() const;
  size_t openChunkUsed() const;
  size_t sealedBytes(size_t* used) const;
};

// The bytes of a sealed chunk (from memory or the file). Throws on a read error.
std::vector<uint8_t> sealedBytes(const SealedChunk& c, const ChunkFile* file);

bool sameValue(double a, double b);  // bitwise, so NaN (staleness) compares equal to itself
int64_t floorDiv(int64_t a, int64_t b);

}  // namespace strata::block_store
