// Reading the counter aggregate of downsampled data the way Thanos does
// (ApplyCounterResetsSeriesIterator): each aggregate chunk's counter sub-chunk holds its first
// raw value, one reset-adjusted cumulative value per window, and a last sample whose timestamp
// does not advance: the raw last value, kept only to detect a reset against the next chunk's
// first value. Applying resets across the chunks gives a monotone series whose increase
// between two points equals the raw data's increase (Prometheus' reset rule: a drop means the
// counter restarted from 0).
#pragma once

#include <cstdint>
#include <vector>

namespace strata::compact {

struct Sample {
  int64_t t;
  double v;
};

// Prometheus' staleness marker (a specific NaN): never aggregated.
bool isStaleNaN(double v);

struct CounterSeries {
  std::vector<Sample> samples;  // monotone (resets applied), time order, one per timestamp
  double last_raw = 0;          // the raw value of the last chunk's special last sample
  bool has_last_raw = false;
};

// `chunks`: the counter sub-chunks of a series' aggregate chunks, decoded, in time order.
// NaN values are skipped; samples of a chunk not after the previous chunk's last are dropped.
CounterSeries applyCounterResets(const std::vector<std::vector<Sample>>& chunks);

}  // namespace strata::compact
