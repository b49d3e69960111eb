// The synthetic data set: N series slots over `samples` steps, every value generated up front
// so each mode (and each system under test) sees exactly the same samples.
//
// Slot i belongs to metric family i % metrics; its index inside the family is j = i / metrics.
// Counters grow by varied amounts (integers or 3 decimals), gauges random-walk with 2-3
// decimals, histogram slots are the cumulative `le` buckets of group j / buckets. With churn,
// every churn interval a contiguous block of slots gets a new `cycle` label value: the old
// series ends, a new one starts from zero, so the active series count stays N.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "workload_options.h"

namespace strata::avalanche {

enum class MetricType { kCounter, kGauge, kHistogram };
using Labels = std::vector<std::pair<std::string, std::string>>;

class Workload {
 public:
  explicit Workload(const WorkloadOptions& options);

  const WorkloadOptions& options() const { return o_; }
  int64_t slots() const { return o_.series; }
  int64_t steps() const { return o_.samples; }
  int64_t totalSamples() const { return o_.series * o_.samples; }
  int64_t timestampMs(int64_t step) const { return o_.start_ms + step * o_.interval_ms; }
  double value(int64_t step, int64_t slot) const { return values_[step * o_.series + slot]; }

  int64_t metricOf(int64_t slot) const { return slot % o_.metric_count; }
  MetricType familyType(int64_t metric) const;
  // The family name as OpenMetrics declares it (counters without `_total`).
  std::string familyName(int64_t metric) const;
  // Churn generation of a slot at a step (0 before its first churn).
  int64_t generation(int64_t step, int64_t slot) const;
  // Series labels at a generation, sorted by name (`__name__` carries the sample's name).
  Labels labels(int64_t slot, int64_t generation) const;
  // Series that exist at some point: slots plus one per churn of a slot.
  int64_t distinctSeries() const;

 private:
  int64_t epochOf(int64_t step) const;
  bool churnsAt(int64_t epoch, int64_t slot) const;
  double bucketBound(int64_t bucket) const;
  void generate();

  WorkloadOptions o_;
  int64_t histograms_ = 0, gauges_ = 0, churn_block_ = 0;
  std::vector<double> values_;  // [step * slots + slot]
};

}  // namespace strata::avalanche
