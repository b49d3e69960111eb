#include "core/promql/sliding_quantile.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace strata::promql {

void SlidingQuantile::add(double v) {
  if (std::isnan(v)) {
    ++nans_;
    return;
  }
  sorted_.insert(std::upper_bound(sorted_.begin(), sorted_.end(), v), v);
}

void SlidingQuantile::remove(double v) {
  if (std::isnan(v)) {
    if (nans_ > 0) --nans_;
    return;
  }
  auto [lo, hi] = std::equal_range(sorted_.begin(), sorted_.end(), v);
  // Of 0.0 and -0.0 (equal to <) take the one with the same bits when there is one.
  auto it = std::find_if(
      lo, hi, [v](double x) { return std::bit_cast<uint64_t>(x) == std::bit_cast<uint64_t>(v); });
  if (it == hi) it = lo;
  if (it != hi) sorted_.erase(it);
}

double SlidingQuantile::quantile(double q) const {
  if (empty()) return std::numeric_limits<double>::quiet_NaN();
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  double n = static_cast<double>(sorted_.size() + nans_);
  double rank = q * (n - 1);
  double lower = std::max(0.0, std::floor(rank));
  double upper = std::min(n - 1, lower + 1);
  double weight = rank - std::floor(rank);
  auto at = [this](double rank_index) {
    size_t k = static_cast<size_t>(rank_index);
    return k < nans_ ? std::numeric_limits<double>::quiet_NaN() : sorted_[k - nans_];
  };
  return at(lower) * (1 - weight) + at(upper) * weight;
}

}  // namespace strata::promql
