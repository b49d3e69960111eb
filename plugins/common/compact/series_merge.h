// The series of several blocks merged in label order, one series at a time (never all series
// in memory): each source is walked through its all-series postings, which are in label order
// in the index; the smallest label set among the sources' current series comes next, with the
// chunks of every source holding it.
//   - Chunks that do not overlap in time (blocks of one stream side by side) are passed
//     through as they are, without decoding.
//   - Overlapping chunks (vertical compaction: HA replicas, a restarted receiver) are decoded,
//     merged by timestamp with one sample per timestamp (the earlier source in the list wins
//     a tie) and re-encoded into chunks of up to `chunk_samples` samples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tsdb/block/block_reader.h"
#include "tsdb/block/block_writer.h"

namespace strata::compact {

struct MergeStats {
  uint64_t series = 0, chunks_passed = 0, chunks_reencoded = 0, samples_deduplicated = 0;
};

class SeriesMerger {
 public:
  // The readers must outlive the merger. Errors reading a source throw CorruptBlock naming it.
  explicit SeriesMerger(std::vector<const tsdb::BlockReader*> sources, size_t chunk_samples = 120);
  ~SeriesMerger();
  // The next series (labels sorted by name) and its chunks (time order, not overlapping);
  // false after the last.
  bool next(tsdb::LabelSet* labels, std::vector<tsdb::ChunkData>* chunks);
  const MergeStats& stats() const { return stats_; }
  // Series the sources hold in total (an upper bound of what next() returns).
  uint64_t sourceSeries() const;

 private:
  struct Cursor;
  void advance(Cursor& c);

  std::vector<std::unique_ptr<Cursor>> cursors_;
  size_t chunk_samples_;
  MergeStats stats_;
};

// Samples of one series merged from overlapping sources, one per timestamp, into XOR chunks
// of up to `chunk_samples` samples. `samples` is (t, v, source priority) in any order.
struct PrioritizedSample {
  int64_t t;
  double v;
  size_t priority;  // lower wins a timestamp tie
};
std::vector<tsdb::ChunkData> mergeSamples(std::vector<PrioritizedSample> samples,
                                          size_t chunk_samples, uint64_t* dropped);

}  // namespace strata::compact
