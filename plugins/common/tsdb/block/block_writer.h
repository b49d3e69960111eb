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
  std::vector<uint8_t> xor_bytes;      // XorAppender::bytes(), or the data of `encoding`
  uint8_t encoding = 1;                // kEncXor; kEncAggr (aggr_chunk.h) in downsampled blocks
};

// Samples of a chunk as meta.json counts them: an XOR chunk's samples, an aggregate chunk's
// windows (its count aggregate's samples); 0 for other encodings.
uint64_t chunkSamples(const ChunkData& c);

struct BlockWriterOptions {
  // When above 0, the consecutive chunks of a series are re-encoded into chunks of up to this
  // many samples (at most 65535), see rechunk.h; 0 writes the chunks as given.
  size_t chunk_max_samples = 0;
  // Bound of the index writer's postings passes (IndexWriterOptions).
  size_t index_postings_batch_entries = size_t{1} << 20;
};

// Writes a block while its series arrive, in label order: each series' chunks go to the
// segment files at once (through a 1 MiB buffer), its labels and chunk metas to a spill file
// in the temp directory, its strings to the symbol set. finish() writes the index from the
// spill through the streaming IndexWriter. Memory: the distinct label strings (the symbol
// table the index needs before its first series), one series, the index writer's postings
// pass buffer and a few file buffers; not the series, chunks or postings of the block.
class StreamingBlockWriter {
 public:
  // As BlockWriter's.
  StreamingBlockWriter(std::string parent_dir, BlockMeta meta, std::string source,
                       BlockWriterOptions options = {});
  ~StreamingBlockWriter();
  // Series in compareLabels order, each once (std::invalid_argument otherwise); labels
  // sorted by name; chunks in time order, not overlapping (re-cut as the options say).
  void addSeries(const LabelSet& labels, std::vector<ChunkData> chunks);
  // Writes the index, meta.json and tombstones, fsyncs, renames; returns the block directory.
  std::string finish();
  // The temp directory the block is assembled in.
  const std::string& tmpDir() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
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
  // overlapping. The chunks are re-cut here as the options say. Everything is kept until
  // finish() (which sorts, then streams through StreamingBlockWriter): for series that come
  // sorted, StreamingBlockWriter writes without holding them.
  void addSeries(const LabelSet& labels, std::vector<ChunkData> chunks);
  // Writes everything, fsyncs, renames; returns the block directory. Throws on I/O errors.
  std::string finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::tsdb
