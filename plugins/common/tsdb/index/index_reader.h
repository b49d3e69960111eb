// Reads an index file (format v2) from a memory map: TOC, symbols, the postings offset table
// (kept whole in memory, sorted), postings lists and series entries on demand.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tsdb/fileutil/file_util.h"
#include "tsdb/index/index_format.h"
#include "tsdb/labels/label_set.h"

namespace strata::tsdb {

class IndexReader {
 public:
  // Throws std::runtime_error naming the file and the problem.
  explicit IndexReader(const std::string& path);

  std::vector<std::string> labelNames() const;
  std::vector<std::string> labelValues(const std::string& name) const;
  // Sorted series refs for name=value; all series for ("", ""). Empty if absent or corrupt.
  std::vector<uint64_t> postings(std::string_view name, std::string_view value) const;
  bool series(uint64_t ref, LabelSet* labels, std::vector<IndexChunkMeta>* chunks) const;
  int version() const { return version_; }

 private:
  bool symbol(uint64_t idx, std::string_view* out) const;
  [[noreturn]] void fail(const std::string& what) const;

  MappedFile file_;
  int version_ = 0;
  std::vector<std::string_view> symbols_;  // views into the mapping
  // name -> (value -> postings list offset), views into the mapping.
  std::map<std::string_view, std::map<std::string_view, uint64_t>> postings_table_;
};

}  // namespace strata::tsdb
