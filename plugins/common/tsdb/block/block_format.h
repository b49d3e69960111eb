// Writing and reading immutable blocks in the Prometheus TSDB layout:
//   <ULID>/meta.json, <ULID>/index (format v2), <ULID>/chunks/000001...
// meta.json carries Thanos' extension under "thanos" (labels, downsample resolution, source).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace strata::tsdb {

using LabelSet = std::vector<std::pair<std::string, std::string>>;  // sorted by name

struct BlockMeta {
  std::string ulid;
  int64_t min_time = 0, max_time = 0;  // [min, max) like Prometheus
  uint64_t num_samples = 0, num_series = 0, num_chunks = 0;
  int compaction_level = 1;
  std::vector<std::string> compaction_sources;  // ULIDs; the block's own for level 1
  // Thanos extension.
  std::map<std::string, std::string> thanos_labels;  // external labels (tenant included)
  int64_t downsample_resolution_ms = 0;
  std::string thanos_source = "receive";
};

struct ChunkData {
  int64_t min_time = 0, max_time = 0;  // inclusive, as in the index
  std::vector<uint8_t> xor_bytes;      // XorAppender::bytes()
};

// A new ULID (Crockford base32 of a 48-bit ms timestamp and 80 random bits).
std::string newUlid(int64_t now_ms);

struct BlockWriterOptions {
  // When above 0, the consecutive chunks of a series are re-encoded into chunks of up to this
  // many samples (at most 65535), see rechunk.h; 0 writes the chunks as given.
  size_t chunk_max_samples = 0;
};

class BlockWriter {
 public:
  // The block is assembled in <parent_dir>/<ulid>.tmp and renamed on finish(), so a crash
  // never leaves a half-written block visible.
  BlockWriter(std::string parent_dir, BlockMeta meta, BlockWriterOptions options = {});
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

struct ChunkRef {
  int64_t min_time = 0, max_time = 0;
  uint64_t ref = 0;  // segment file index << 32 | offset
};

// All const methods only read immutable mappings: one reader may serve concurrent queries.
class BlockReader {
 public:
  // Throws std::runtime_error naming the file and the problem.
  static std::unique_ptr<BlockReader> open(const std::string& dir);
  ~BlockReader();
  const BlockMeta& meta() const;
  const std::string& dir() const;
  std::vector<std::string> labelNames() const;
  std::vector<std::string> labelValues(const std::string& name) const;
  // Series references (sorted) having name=value; all series for ("", "").
  std::vector<uint64_t> postings(const std::string& name, const std::string& value) const;
  bool series(uint64_t ref, LabelSet* labels, std::vector<ChunkRef>* chunks) const;
  // The XOR data of a chunk (without the encoding byte); valid while the reader lives.
  // False for a bad reference, a checksum mismatch or another encoding (histograms).
  bool chunk(uint64_t ref, const uint8_t** data, size_t* len) const;
  // Any encoding; on false *error says why (file, offset, problem).
  bool rawChunk(uint64_t ref, uint8_t* encoding, const uint8_t** data, size_t* len,
                std::string* error) const;

 private:
  BlockReader();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::tsdb
