// A select's answer, pulled one series at a time: the blocks' cursors (block_series.h) merged
// by label set (k-way, smallest labels first). A series found in several blocks is one series:
// its samples are concatenated in time order, one per timestamp (on equal timestamps the
// block with the smaller ULID wins), exactly as the former materialised select did. Samples
// are decoded per series in next(); series without samples in the range are skipped. Holds
// the select's slot (SelectLimiter) until destroyed.
#pragma once

#include <memory>
#include <vector>

#include "block_series.h"

namespace strata::store_gateway {

struct Sample {
  int64_t t;
  double v;
};

class SeriesStream {
 public:
  // Cursors in ULID order.
  SeriesStream(std::vector<std::unique_ptr<BlockSeriesCursor>> cursors, int64_t min_t,
               int64_t max_t, std::unique_ptr<SelectLimiter::Slot> slot,
               std::shared_ptr<QueryBudget> budget);
  ~SeriesStream();
  // The next series; false at the end. Throws like BlockSeriesCursor::next.
  bool next();
  const tsdb::LabelSet& labels() const { return labels_; }
  // The current series' samples (time order).
  const std::vector<Sample>& samples() const { return samples_; }
  const QueryBudget& budget() const { return *budget_; }

 private:
  void push(size_t i);
  void decodeCurrent(const std::vector<std::pair<size_t, std::vector<tsdb::ByteView>>>& parts);

  std::vector<std::unique_ptr<BlockSeriesCursor>> cursors_;
  std::vector<size_t> heap_;  // cursor indexes with a current series, min-heap by labels
  bool started_ = false;
  int64_t min_t_, max_t_;
  std::unique_ptr<SelectLimiter::Slot> slot_;
  std::shared_ptr<QueryBudget> budget_;
  tsdb::LabelSet labels_;
  std::vector<Sample> samples_;
};

}  // namespace strata::store_gateway
