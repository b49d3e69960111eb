// What the engine reads from: any source of series that can be selected by matchers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/promql/labels.h"
#include "core/promql/matcher.h"

namespace strata::promql {

// What the engine will do with the data, so a source can push work down or prefetch.
struct SelectHints {
  int64_t start_ms = 0, end_ms = 0;
  int64_t step_ms = 0;
  int64_t range_ms = 0;
  std::string function;
  std::vector<std::string> grouping;
  bool by = false;
};

// A pull stream of series, each with its samples in timestamp order.
class SeriesSet {
 public:
  virtual ~SeriesSet() = default;
  // Advances to the next series; false at the end (check error()).
  virtual bool next() = 0;
  virtual const Labels& labels() const = 0;
  // Copies up to `cap` samples of the current series, continuing where the previous call
  // stopped; returns how many (0 when the series is exhausted).
  virtual size_t readSamples(int64_t* timestamps_ms, double* values, size_t cap) = 0;
  // Non-empty after a failure.
  virtual std::string error() const { return {}; }
};

// THREAD: the engine may call select() (and read the sets it returns) from two threads of
// one query at once.
class Storage {
 public:
  virtual ~Storage() = default;
  // Series matching every matcher, with their samples in [mint, maxt] (stale markers kept).
  virtual std::unique_ptr<SeriesSet> select(const std::vector<Matcher>& matchers, int64_t mint,
                                            int64_t maxt, const SelectHints& hints) = 0;
  virtual std::vector<std::string> labelNames(const std::vector<Matcher>& matchers, int64_t mint,
                                              int64_t maxt) = 0;
  virtual std::vector<std::string> labelValues(const std::string& name,
                                               const std::vector<Matcher>& matchers, int64_t mint,
                                               int64_t maxt) = 0;
};

}  // namespace strata::promql
