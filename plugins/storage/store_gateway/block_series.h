// The matching series of one block, pulled in label order (the order of the block's postings)
// one batch at a time: a batch is `batch_size` candidate refs whose series entries are fetched
// with as few GETs as the gap allows, filtered by the matchers, then the chunks of the kept
// series that overlap the time range, again with merged ranges. Only the current batch is
// held (entries decoded, chunk bytes as fetched); see series_stream.h for the merge of blocks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bucket_block.h"
#include "matchers.h"
#include "range_merge.h"
#include "select_limits.h"

namespace strata::store_gateway {

struct SelectParams {
  std::shared_ptr<const std::vector<Matcher>> matchers;
  int64_t min_t = 0, max_t = 0;  // inclusive
  size_t batch_size = 256;
  uint64_t gap_bytes = 16 << 10;          // ranges this close are fetched as one
  std::shared_ptr<GatewayCaches> caches;  // may be null
  std::shared_ptr<QueryBudget> budget;
  FetchObserver observe;
};

class BlockSeriesCursor {
 public:
  // Reads the candidate postings (throws on bucket errors or the budget).
  BlockSeriesCursor(std::shared_ptr<const BucketBlock> block, const SelectParams& params);
  // The next matching series with chunks in the range; false at the end. Throws
  // std::runtime_error naming the block for corrupt data, LimitError past the budget.
  bool next();
  const tsdb::LabelSet& labels() const { return batch_[cur_ - 1].labels; }
  // The data (no encoding byte) of the current series' chunks overlapping the range, in
  // time order, and their encodings: XOR, or (downsampled blocks only) aggregate chunks.
  const std::vector<tsdb::ByteView>& chunks() const { return batch_[cur_ - 1].data; }
  const std::vector<uint8_t>& encodings() const { return batch_[cur_ - 1].enc; }
  // The time range this cursor answers (inclusive).
  int64_t minTime() const { return p_.min_t; }
  int64_t maxTime() const { return p_.max_t; }
  const BucketBlock& block() const { return *block_; }

  static constexpr uint64_t kSeriesGuess = 512;  // bytes fetched for an entry of unknown length
  static constexpr uint64_t kChunkGuess = 2048;  // and for a chunk

 private:
  struct Series {
    tsdb::LabelSet labels;
    std::vector<tsdb::IndexChunkMeta> chunks;
    std::vector<tsdb::ByteView> data;
    std::vector<uint8_t> enc;
  };
  void loadBatch();
  void readEntries(size_t from, size_t to);
  void readChunks();
  tsdb::ByteView fetch(const std::string& object, ByteRange r) const;
  [[noreturn]] void corrupt(const std::string& what) const;

  std::shared_ptr<const BucketBlock> block_;
  SelectParams p_;
  std::vector<uint64_t> refs_;
  size_t next_ref_ = 0;
  std::vector<Series> batch_;
  size_t cur_ = 0;  // 1-based index into batch_ of the current series
};

}  // namespace strata::store_gateway
