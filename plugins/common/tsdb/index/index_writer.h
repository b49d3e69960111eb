// Writes an index file in format v2: symbol table, series (16-byte aligned, ref = offset/16),
// one label index per label name plus the label offset table (no longer read by Prometheus
// but still written by 2.x, so older readers keep working), postings lists (the all-series
// list under ("", "") first), the postings offset table and the TOC; CRC32C on every section.
#pragma once

#include <string>
#include <vector>

#include "tsdb/index/index_format.h"
#include "tsdb/labels/label_set.h"

namespace strata::tsdb {

struct IndexSeriesInput {
  const LabelSet* labels = nullptr;
  std::vector<IndexChunkMeta> chunks;  // time ordered, non-overlapping
};

// series must be sorted by compareLabels and unique. Writes and fsyncs path.
// Returns the series references (offset/16) in input order.
std::vector<uint32_t> writeIndexFile(const std::string& path,
                                     const std::vector<IndexSeriesInput>& series);

}  // namespace strata::tsdb
