// Reads an index file (format v2) through a ByteSource: at open the TOC, the symbol table and
// the postings offset table (kept whole in memory, sorted) -- or, given an IndexHeader, nothing
// (symbols and postings offsets are looked up in the mapped header, see index_header.h);
// postings lists and series entries on demand, each read fetching only its own range. Over a
// local memory map nothing is copied.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tsdb/fileutil/byte_source.h"
#include "tsdb/index/index_format.h"
#include "tsdb/index/index_header.h"
#include "tsdb/labels/label_set.h"

namespace strata::tsdb {

class IndexReader {
 public:
  // Maps the file. Throws std::runtime_error naming the file and the problem.
  explicit IndexReader(const std::string& path);
  // Any source (a bucket object, ...). Throws std::runtime_error naming the source.
  explicit IndexReader(std::shared_ptr<const ByteSource> source);
  // Symbols and postings offsets from `header` (built from this index); reads nothing at open.
  IndexReader(std::shared_ptr<const ByteSource> source, std::shared_ptr<const IndexHeader> header);

  std::vector<std::string> labelNames() const;
  std::vector<std::string> labelValues(const std::string& name) const;
  // Sorted series refs for name=value; all series for ("", ""). Empty if absent or corrupt.
  std::vector<uint64_t> postings(std::string_view name, std::string_view value) const;
  bool series(uint64_t ref, LabelSet* labels, std::vector<IndexChunkMeta>* chunks) const;
  // Decodes the entry of series `ref` from `p`, the index bytes from its offset on (`avail` of
  // them): kOk with *need = the entry's length in bytes; kShort with *need = the bytes it
  // takes when it runs past them; kBad when corrupt.
  enum class Decode { kOk, kShort, kBad };
  Decode decodeSeries(uint64_t ref, const uint8_t* p, size_t avail, LabelSet* labels,
                      std::vector<IndexChunkMeta>* chunks, size_t* need) const;
  int version() const { return version_; }
  const ByteSource& source() const { return *source_; }

  // A series entry is fetched with one read of this many bytes (clamped to the file), and a
  // second read only when the entry is longer.
  static constexpr uint64_t kSeriesReadGuess = 512;

 private:
  void open();
  bool symbol(uint64_t idx, std::string_view* out) const;
  // `len <4b> | body | CRC32C` at off: the body, or false on a bad range or checksum.
  bool lenSection(uint64_t off, ByteView* body) const;
  // The same in one read of `hint` bytes; false when the section is longer or corrupt.
  bool hintedSection(uint64_t off, uint64_t hint, ByteView* body) const;
  [[noreturn]] void fail(const std::string& what) const;

  std::shared_ptr<const ByteSource> source_;
  std::shared_ptr<const IndexHeader> header_;  // null: the tables below are used
  int version_ = 0;
  ByteView symbols_section_, postings_table_section_;  // what the views below point into
  std::vector<std::string_view> symbols_;
  // name -> (value -> postings list offset).
  std::map<std::string_view, std::map<std::string_view, uint64_t>> postings_table_;
};

}  // namespace strata::tsdb
