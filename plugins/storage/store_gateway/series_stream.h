// A select's answer, pulled one series at a time: the blocks' cursors (block_series.h) merged
// by label set (k-way, smallest labels first). A series found in several blocks is one series:
// its samples are concatenated in time order, one per timestamp (on equal timestamps the
// block with the smaller ULID wins), exactly as the former materialised select did. Samples
// are decoded per series in next(); series without samples in the range are skipped. A
// series' counter aggregates (rate over downsampled data) get their resets applied across
// all its aggregate chunks, whichever blocks they come from. Holds
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
  // Cursors in ULID order, each answering its own time range (resolution_plan.h). Aggregate
  // chunks of downsampled blocks are read as `aggr` (an AggrRead, aggregate_read.h).
  SeriesStream(std::vector<std::unique_ptr<BlockSeriesCursor>> cursors, int aggr,
               std::unique_ptr<SelectLimiter::Slot> slot, std::shared_ptr<QueryBudget> budget);
  ~SeriesStream();
  // The next series; false at the end. Throws like BlockSeriesCursor::next.
  bool next();
  const tsdb::LabelSet& labels() const { return labels_; }
  // The current series' samples (time order).
  const std::vector<Sample>& samples() const { return samples_; }
  const QueryBudget& budget() const { return *budget_; }

 private:
  void push(size_t i);
  // One cursor's share of the current series (copied: the cursor moves on before decoding).
  struct Part {
    size_t cursor;
    std::vector<tsdb::ByteView> chunks;
    std::vector<uint8_t> enc;
  };
  void decodeCurrent(const std::vector<Part>& parts);

  std::vector<std::unique_ptr<BlockSeriesCursor>> cursors_;
  std::vector<size_t> heap_;  // cursor indexes with a current series, min-heap by labels
  bool started_ = false;
  int aggr_;
  std::unique_ptr<SelectLimiter::Slot> slot_;
  std::shared_ptr<QueryBudget> budget_;
  tsdb::LabelSet labels_;
  std::vector<Sample> samples_;
};

}  // namespace strata::store_gateway
