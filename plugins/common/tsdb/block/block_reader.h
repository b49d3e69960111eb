// Reading immutable blocks in the Prometheus TSDB layout (ours and Prometheus' own):
//   <ULID>/meta.json, <ULID>/index (format v2), <ULID>/chunks/000001...
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tsdb/block/meta_json.h"
#include "tsdb/fileutil/byte_source.h"
#include "tsdb/labels/label_set.h"

namespace strata::tsdb {

struct ChunkRef {
  int64_t min_time = 0, max_time = 0;
  uint64_t ref = 0;  // segment file index << 32 | offset
};

// All const methods only read immutable data through thread-safe ByteSources: one reader may
// serve concurrent queries.
class BlockReader {
 public:
  // A local block: meta.json read, index and chunk segments mapped. Throws std::runtime_error
  // naming the file and the problem.
  static std::unique_ptr<BlockReader> open(const std::string& dir);
  // A block anywhere (a bucket): meta.json already parsed, the index and the segments
  // (000001 first) as byte sources. `name` is what dir() returns (e.g. the ULID).
  static std::unique_ptr<BlockReader> open(std::string name, BlockMeta meta,
                                           std::shared_ptr<const ByteSource> index,
                                           std::vector<std::shared_ptr<const ByteSource>> chunks);
  ~BlockReader();
  const BlockMeta& meta() const;
  const std::string& dir() const;
  std::vector<std::string> labelNames() const;
  std::vector<std::string> labelValues(const std::string& name) const;
  // Series references (sorted) having name=value; all series for ("", "").
  std::vector<uint64_t> postings(const std::string& name, const std::string& value) const;
  bool series(uint64_t ref, LabelSet* labels, std::vector<ChunkRef>* chunks) const;
  // The XOR data of a chunk (without the encoding byte); valid while the reader lives.
  // False for a bad reference, a checksum mismatch or another encoding (histograms), and for
  // a block not opened from local files (use rawChunk with a ByteView there).
  bool chunk(uint64_t ref, const uint8_t** data, size_t* len) const;
  // Any encoding; on false *error says why (file, offset, problem). Local files only, as above.
  bool rawChunk(uint64_t ref, uint8_t* encoding, const uint8_t** data, size_t* len,
                std::string* error) const;
  // Any encoding, any source: *data owns what it had to fetch.
  bool rawChunk(uint64_t ref, uint8_t* encoding, ByteView* data, std::string* error) const;

 private:
  BlockReader();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::tsdb
