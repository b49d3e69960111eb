// Reads one series' samples across its chunks (head and blocks) in time order, each timestamp
// once. Chunks that do not overlap are streamed straight from their XOR bytes; a run of
// overlapping chunks (a block and the head, out-of-order data) is decoded, sorted and
// deduplicated on its own, so memory stays bounded by one run.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "query/series_data.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::block_store {

class SampleIterator {
 public:
  SampleIterator(std::vector<ChunkSpec> chunks, int64_t min_t, int64_t max_t);
  // Returns 1 with a sample, 0 at the end, -1 on a corrupt chunk (see error()).
  int next(int64_t* t, double* v);
  // Up to `cap` samples into the arrays; how many (0 at the end), -1 on a corrupt chunk once
  // the samples before it have been returned.
  long read(int64_t* ts, double* vs, size_t cap);
  const std::string& error() const { return error_; }

 private:
  bool startRun();
  bool bytesOf(const ChunkSpec& c, const uint8_t** data, size_t* len);

  std::vector<ChunkSpec> chunks_;
  int64_t min_t_, max_t_;
  size_t next_chunk_ = 0;
  std::optional<tsdb::XorIterator> stream_;
  std::vector<Sample> buffer_;
  size_t buffer_pos_ = 0;
  int64_t last_t_ = std::numeric_limits<int64_t>::min();
  std::string error_;
};

}  // namespace strata::block_store
