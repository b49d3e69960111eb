// The sliding window gives what quantile() gives over the same values, window after window,
// with NaNs, duplicates and signed zeros among them.
#include "core/promql/sliding_quantile.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/promql/quantile.h"

namespace strata::promql {
namespace {

uint64_t bits(double v) { return std::bit_cast<uint64_t>(v); }

TEST(SlidingQuantile, EqualsQuantileOfEveryWindow) {
  std::mt19937_64 rng(3);
  const double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> values;
  for (int i = 0; i < 3000; ++i) {
    switch (rng() % 8) {
      case 0:
        values.push_back(kNaN);
        break;
      case 1:
        values.push_back(-0.0);
        break;
      case 2:
        values.push_back(0.0);
        break;
      default:
        values.push_back(double(rng() % 20) - 10);
        break;
    }
  }
  for (size_t width : {1u, 2u, 7u, 40u}) {
    SlidingQuantile window;
    size_t lo = 0;
    for (size_t hi = 0; hi < values.size(); ++hi) {
      window.add(values[hi]);
      if (hi - lo + 1 > width) window.remove(values[lo++]);
      std::vector<double> copy(values.begin() + long(lo), values.begin() + long(hi) + 1);
      for (double q : {0.0, 0.1, 0.5, 0.9, 1.0, -1.0, 2.0}) {
        std::vector<double> scratch = copy;
        double want = quantile(q, scratch), got = window.quantile(q);
        if (std::isnan(want)) {
          ASSERT_TRUE(std::isnan(got)) << "width " << width << " at " << hi << " q " << q;
        } else {
          ASSERT_EQ(got, want) << "width " << width << " at " << hi << " q " << q;
        }
      }
    }
  }
}

TEST(SlidingQuantile, RemovesTheValueWithTheSameBits) {
  SlidingQuantile w;
  w.add(-0.0);
  w.add(0.0);
  w.remove(0.0);
  EXPECT_EQ(bits(w.quantile(0.5)), bits(-0.0));
  w.clear();
  EXPECT_TRUE(std::isnan(w.quantile(0.5)));
}

}  // namespace
}  // namespace strata::promql
