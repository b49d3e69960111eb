// quantile_over_time over consecutive windows of one series: the window's values are kept
// sorted and updated by the samples that enter and leave it, instead of selecting ranks in
// every window from scratch (a 10-minute window at 15 s holds 40 samples; a 1-minute step
// moves 4 of them).
#pragma once

#include <cstddef>
#include <vector>

namespace strata::promql {

class SlidingQuantile {
 public:
  void add(double v);
  void remove(double v);  // v must be in the window
  void clear() {
    sorted_.clear();
    nans_ = 0;
  }
  bool empty() const { return sorted_.empty() && nans_ == 0; }
  // The same value as quantile(q, values of the window).
  double quantile(double q) const;

 private:
  // NaN sorts first in quantile(): counted apart, so the rest compares with a plain <.
  std::vector<double> sorted_;
  size_t nans_ = 0;
};

}  // namespace strata::promql
