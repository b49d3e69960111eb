// Chunk segment files of a block: chunks/000001, 000002, ... Each starts with magic
// 0x85BD40DD, version 1 and 3 bytes of padding; each chunk is
//   uvarint len | encoding byte | data (len bytes) | CRC32C(encoding + data), big-endian.
// A chunk reference is (segment index << 32) | offset, the segment index counting from 0
// for 000001 (as Prometheus does).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tsdb/fileutil/file_util.h"

namespace strata::tsdb {

inline constexpr uint32_t kChunksMagic = 0x85BD40DD;
inline constexpr uint64_t kSegmentMaxBytes = 512ull << 20;
inline constexpr size_t kSegmentHeaderLen = 8;

class ChunkSegmentWriter {
 public:
  // dir is the (existing) chunks/ directory.
  explicit ChunkSegmentWriter(std::string dir, uint64_t segment_max = kSegmentMaxBytes);
  ~ChunkSegmentWriter();
  // Appends one chunk and returns its reference.
  uint64_t write(uint8_t encoding, const uint8_t* data, size_t len);
  // Flushes and fsyncs every segment (the directory is synced by the caller).
  void finish();
  size_t numSegments() const { return seq_; }

 private:
  void cut();
  std::string dir_;
  uint64_t segment_max_;
  size_t seq_ = 0;  // segments opened so far
  std::unique_ptr<FileWriter> cur_;
};

// "000001" for index 0.
std::string segmentFileName(size_t index);

class ChunkSegmentReader {
 public:
  // Maps every segment file in dir (sorted by name). Throws on a bad header.
  explicit ChunkSegmentReader(const std::string& dir);
  // Finds a chunk; false with *error set when the reference or the data is bad.
  bool chunk(uint64_t ref, uint8_t* encoding, const uint8_t** data, size_t* len,
             std::string* error) const;
  size_t numSegments() const { return segments_.size(); }

 private:
  std::vector<std::unique_ptr<MappedFile>> segments_;
};

}  // namespace strata::tsdb
