// Writing immutable blocks in the Prometheus TSDB layout:
//   <ULID>/meta.json, <ULID>/index (format v2), <ULID>/chunks/000001...
// meta.json carries Thanos' extension under "thanos" (labels, downsample resolution, source).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tsdb/block/meta_json.h"
#include "tsdb/labels/label_set.h"

namespace strata::tsdb {

struct ChunkData {
  int64_t min_time = 0, max_time = 0;  // inclusive, as in the index
  std::vector<uint8_t> xor_bytes;      // XorAppender::bytes()
};

struct BlockWriterOptions {
  // When above 0, the consecutive chunks of a series are re-encoded into chunks of up to this
  // many samples (at most 65535), see rechunk.h; 0 writes the chunks as given.
  size_t chunk_max_samples = 0;
};

class BlockWriter {
 public:
  // The block is assembled in <parent_dir>/<ulid>.tmp and renamed on finish(), so a crash
  // never leaves a half-written block visible. `source` is meta.json's thanos.source, who
  // writes the block in Thanos' terms ("receive", "sidecar", "compactor", ...): required and
  // not empty (std::invalid_argument otherwise); it replaces meta.thanos_source, which in a
  // meta taken from another block names that block's writer.
  BlockWriter(std::string parent_dir, BlockMeta meta, std::string source,
              BlockWriterOptions options = {});
  ~BlockWriter();
  // Series may come in any order; labels sorted by name; chunks in time order, not
  // overlapping. The chunks are re-cut here as the options say.
  void addSeries(const LabelSet& labels, std::vector<ChunkData> chunks);
  // Writes everything, fsyncs, renames; returns the block directory. Throws on I/O errors.
  std::string finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::tsdb
