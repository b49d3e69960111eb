// What a select() hands around before samples are read: per series its labels and a list of
// chunk references. Chunk bytes are only decoded when the caller reads samples.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tsdb/block/block_reader.h"
#include "tsdb/labels/label_set.h"

namespace strata::block_store {

using Sample = std::pair<int64_t, double>;

struct ChunkSpec {
  int64_t min_t = 0, max_t = 0;  // inclusive
  // Exactly one of: XOR bytes kept alive by `keep`, plain samples, or a block chunk ref.
  std::shared_ptr<const void> keep;
  const uint8_t* data = nullptr;
  size_t len = 0;
  const Sample* raw = nullptr;
  size_t raw_len = 0;
  const tsdb::BlockReader* reader = nullptr;  // kept alive by `keep`
  uint64_t ref = 0;
};

struct SeriesData {
  tsdb::LabelSet labels;
  std::vector<ChunkSpec> chunks;
};

}  // namespace strata::block_store
