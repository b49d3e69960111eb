// Writes an index file in format v2: symbol table, series (16-byte aligned, ref = offset/16),
// one label index per label name plus the label offset table (no longer read by Prometheus
// but still written by 2.x, so older readers keep working), postings lists (the all-series
// list under ("", "") first), the postings offset table and the TOC; CRC32C on every section.
//
// IndexWriter streams, section by section: symbols are added first (sorted), then series one
// at a time in label order, each written to the file at once. finish() builds the postings
// by re-reading the written series section in passes over ranges of (name, value) keys, each
// pass holding at most 2 x postings_batch_entries (pair, series) entries; a single label pair
// with more series than that is counted in one pass and streamed in the next. Postings,
// label index values and postings offset table entries go to spill files next to the index
// and are copied into it in format order. Memory: the symbols (needed to encode series), one
// series entry, the pass buffer, one small entry per label name and the file buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tsdb/index/index_format.h"
#include "tsdb/labels/label_set.h"

namespace strata::tsdb {

struct IndexWriterOptions {
  // Bound of a postings pass, in (label pair, series ref) entries of 12 bytes (it may hold
  // twice as many before narrowing its key range).
  size_t postings_batch_entries = size_t{1} << 20;
};

class IndexWriter {
 public:
  // Creates/truncates path. Spill files are path + ".tmp-*", removed by finish() and by the
  // destructor.
  explicit IndexWriter(std::string path, IndexWriterOptions options = {});
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Every label name and value, strictly increasing, all before the first series.
  // std::invalid_argument otherwise.
  void addSymbol(std::string s);
  // Series in compareLabels order, each once, every string a symbol; chunks time ordered.
  // Returns the series reference (offset / 16). std::invalid_argument on order or symbols.
  uint32_t addSeries(const LabelSet& labels, const std::vector<IndexChunkMeta>& chunks);
  // Writes the remaining sections and the TOC, fsyncs and closes.
  void finish();

  struct Stats {
    size_t postings_passes = 0;        // scans of the series section
    size_t peak_postings_entries = 0;  // largest pass buffer, in entries
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Stats stats_;
};

// The whole index at once (series sorted by compareLabels, unique): collects the symbols and
// streams through IndexWriter. Returns the series references in input order.
struct IndexSeriesInput {
  const LabelSet* labels = nullptr;
  std::vector<IndexChunkMeta> chunks;  // time ordered, non-overlapping
};
std::vector<uint32_t> writeIndexFile(const std::string& path,
                                     const std::vector<IndexSeriesInput>& series);

}  // namespace strata::tsdb
