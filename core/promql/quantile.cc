#include "core/promql/quantile.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace strata::promql {

double quantile(double q, std::vector<double>& values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  double n = static_cast<double>(values.size());
  double rank = q * (n - 1);
  double lower = std::max(0.0, std::floor(rank));
  double upper = std::min(n - 1, lower + 1);
  double weight = rank - std::floor(rank);
  // Only the two ranks are needed, not a sorted copy: the element at `lower` in sorted order
  // and the least one after it. NaN sorts first, as in Prometheus' vectorByValueHeap.
  auto lo = values.begin() + static_cast<std::ptrdiff_t>(lower);
  auto hi = values.begin() + static_cast<std::ptrdiff_t>(upper);
  bool has_nan = std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
  if (has_nan) {
    auto nan_first = [](double a, double b) {
      if (std::isnan(a)) return !std::isnan(b);
      if (std::isnan(b)) return false;
      return a < b;
    };
    std::nth_element(values.begin(), lo, values.end(), nan_first);
    if (hi != lo) std::iter_swap(hi, std::min_element(lo + 1, values.end(), nan_first));
  } else {
    std::nth_element(values.begin(), lo, values.end());
    if (hi != lo) std::iter_swap(hi, std::min_element(lo + 1, values.end()));
  }
  return *lo * (1 - weight) + *hi * weight;
}

double bucketQuantile(double q, std::vector<Bucket>& buckets) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (std::isnan(q)) return kNaN;
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  std::sort(buckets.begin(), buckets.end(),
            [](const Bucket& a, const Bucket& b) { return a.upper_bound < b.upper_bound; });
  if (buckets.empty() || !std::isinf(buckets.back().upper_bound) ||
      buckets.back().upper_bound < 0) {
    return kNaN;
  }
  // Merge buckets with the same bound (e.g. "1" and "1.0").
  std::vector<Bucket> merged;
  for (const auto& b : buckets) {
    if (!merged.empty() && merged.back().upper_bound == b.upper_bound) {
      merged.back().count += b.count;
    } else {
      merged.push_back(b);
    }
  }
  // Counts must not decrease; precision loss in scraped values can make them.
  double max = -std::numeric_limits<double>::infinity();
  for (auto& b : merged) {
    if (b.count > max) {
      max = b.count;
    } else {
      b.count = max;
    }
  }
  if (merged.size() < 2) return kNaN;
  double observations = merged.back().count;
  if (observations == 0) return kNaN;
  double rank = q * observations;
  size_t b = 0;
  while (b < merged.size() - 1 && !(merged[b].count >= rank)) ++b;
  if (b == merged.size() - 1) return merged[merged.size() - 2].upper_bound;
  if (b == 0 && merged[0].upper_bound <= 0) return merged[0].upper_bound;
  double start = 0;
  double end = merged[b].upper_bound;
  double count = merged[b].count;
  if (b > 0) {
    start = merged[b - 1].upper_bound;
    count -= merged[b - 1].count;
    rank -= merged[b - 1].count;
  }
  return start + (end - start) * (rank / count);
}

}  // namespace strata::promql
