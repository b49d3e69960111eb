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

#include "tsdb/fileutil/byte_source.h"
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

// Decodes the chunk whose bytes start at p (`avail` of them): kOk with *encoding, *data (into
// p) and *len; kShort with *need (the bytes the chunk takes) when it runs past avail; kBad for
// a checksum mismatch or garbage. For callers that fetch chunk ranges themselves.
enum class ChunkDecode { kOk, kShort, kBad };
ChunkDecode decodeChunk(const uint8_t* p, size_t avail, uint8_t* encoding, const uint8_t** data,
                        size_t* len, size_t* need);

// "000001" for index 0.
std::string segmentFileName(size_t index);

// Reads chunks by reference through one ByteSource per segment file; a chunk read fetches
// only that chunk's range (one read of kChunkReadGuess bytes, a second one for a longer chunk).
class ChunkSegmentReader {
 public:
  // Maps every segment file in dir (sorted by name). Throws on a bad header.
  explicit ChunkSegmentReader(const std::string& dir);
  // Segments in order (000001 first), from anywhere. Reads each header; throws on a bad one.
  explicit ChunkSegmentReader(std::vector<std::shared_ptr<const ByteSource>> segments);
  // Finds a chunk; false with *error set when the reference or the data is bad. *data is the
  // chunk data without the encoding byte (a view into the mapping for a local file).
  bool chunk(uint64_t ref, uint8_t* encoding, ByteView* data, std::string* error) const;
  // The same for zero-copy sources only (local files): *data stays valid while the reader
  // lives. False with an error on a source that copies.
  bool chunk(uint64_t ref, uint8_t* encoding, const uint8_t** data, size_t* len,
             std::string* error) const;
  size_t numSegments() const { return segments_.size(); }
  static constexpr uint64_t kChunkReadGuess = 512;

 private:
  void checkHeaders();
  // The chunk at ref: *p at its encoding byte, *n its data length; `keep` holds what a
  // source that copies fetched.
  bool find(uint64_t ref, ByteView* keep, const uint8_t** p, uint64_t* n, std::string* error) const;
  std::vector<std::shared_ptr<const ByteSource>> segments_;
  std::vector<const uint8_t*> mapped_;  // per segment, nullptr when not mapped
  std::vector<uint64_t> sizes_;
};

}  // namespace strata::tsdb
