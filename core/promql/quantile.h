// Quantile helpers shared by quantile(), quantile_over_time() and histogram_quantile().
#pragma once

#include <vector>

namespace strata::promql {

// Prometheus' quantile: q<0 -> -Inf, q>1 -> +Inf, empty -> NaN, linear interpolation.
double quantile(double q, std::vector<double>& values);

struct Bucket {
  double upper_bound;
  double count;
};
// Prometheus' bucketQuantile over classic cumulative `le` buckets.
double bucketQuantile(double q, std::vector<Bucket>& buckets);

}  // namespace strata::promql
