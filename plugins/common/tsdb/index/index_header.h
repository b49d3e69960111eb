// The index-header: the parts of an index (format v2) a reader needs before any query (TOC,
// symbol table, postings offset table), copied once from wherever the index lives (a bucket)
// into a small local file, then memory-mapped. Only a sample of it is kept in RAM (every
// kSampleEvery-th symbol offset and postings offset table entry); the rest is found by
// scanning the mapped file between two samples. Postings lists and series entries are not in
// it: they keep coming from the index itself, by range.
//
// File format (version 1; all integers big-endian):
//   magic "SGIH" (4) | version u8 (1) | 3 zero bytes
//   index_size u64 | symbols_offset u64 | postings_table_offset u64 | postings_end u64
//   symbols_len u32 | symbols body (as in the index: count u32, uvarint strings)
//   postings_table_len u32 | postings offset table body (count u32, entries)
//   CRC32C of everything before it, u32
// offsets and sizes are those of the index the header was built from; postings_end is where
// the index's postings section ends (the label offset table), so the last list's range is
// known. A file that does not parse, fails its checksum, has another version or names
// another index size is rebuilt (see buildIndexHeader / IndexHeader::open).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tsdb/fileutil/byte_source.h"
#include "tsdb/fileutil/file_util.h"

namespace strata::tsdb {

inline constexpr uint32_t kIndexHeaderMagic = 0x53474948;  // "SGIH"
inline constexpr uint8_t kIndexHeaderVersion = 1;

// Reads the TOC, symbol table and postings offset table of `index` (3 to 5 ranged reads) and
// writes the header file to `path` through `path`.tmp, fsync and rename. Returns the bytes read
// from `index`. Throws std::runtime_error (naming the index) for a corrupt index, or on I/O
// errors.
uint64_t buildIndexHeader(const ByteSource& index, const std::string& path);

// Where a postings list is in the index: [offset, offset + length_hint) holds it whole when
// length_hint > 0 (the next list starts there); 0 = unknown.
struct PostingsRange {
  uint64_t offset = 0, length_hint = 0;
};

class IndexHeader {
 public:
  static constexpr uint32_t kSampleEvery = 32;
  // Maps and checks `path`. Throws std::runtime_error when the file is missing, corrupt, of
  // another version, or (index_size != 0) built from an index of another size.
  static std::shared_ptr<const IndexHeader> open(const std::string& path, uint64_t index_size);

  uint64_t indexSize() const { return index_size_; }
  uint64_t numSymbols() const { return num_symbols_; }
  // The idx-th symbol (a view into the mapping), false when out of range or corrupt.
  bool symbol(uint64_t idx, std::string_view* out) const;
  std::vector<std::string> labelNames() const;
  std::vector<std::string> labelValues(std::string_view name) const;
  std::optional<PostingsRange> postings(std::string_view name, std::string_view value) const;
  // Bytes of RAM the samples take (for tests and docs; the mapping is not counted).
  size_t sampledBytes() const;
  const std::string& path() const { return file_.path(); }

 private:
  explicit IndexHeader(const std::string& path) : file_(path) {}
  void parse(uint64_t index_size);
  struct Sample {
    std::string_view value;
    uint32_t pos;  // offset of the entry in the postings table body
  };
  struct NameEntries {
    uint32_t first = 0, count = 0;  // entry index of the name's first value, number of values
    std::vector<Sample> samples;    // every kSampleEvery-th value, the first included
  };
  // Decodes the entry at *pos of the postings table body, advancing *pos; false when corrupt.
  bool entryAt(uint32_t* pos, std::string_view* name, std::string_view* value, uint64_t* off) const;

  MappedFile file_;
  uint64_t index_size_ = 0, postings_end_ = 0, num_symbols_ = 0;
  const uint8_t* symbols_ = nullptr;  // body, after its count
  size_t symbols_len_ = 0;
  std::vector<uint32_t> symbol_samples_;  // offset in symbols_ of symbol i * kSampleEvery
  const uint8_t* table_ = nullptr;        // postings table body
  size_t table_len_ = 0;
  std::map<std::string_view, NameEntries> names_;
};

}  // namespace strata::tsdb
