// Aggregations over many series and steps: a range query equals, at every step, the instant
// query at that time, bit for bit, whether the evaluator walks the input series by series
// (few groups) or step by step (a group per few series, where per-step accumulators for every
// group would take more memory than the input).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <random>

#include "core/promql/engine.h"
#include "core/promql/memory_storage.h"

namespace strata::promql {
namespace {

constexpr int64_t kStep = 15'000;
constexpr int kSteps = 301;

uint64_t bits(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

// `series` series of metric m, each in group g = i % groups, with gaps (so groups start at
// different steps) and values of very different magnitudes, infinities and NaNs.
void load(MemoryStorage& storage, int series, int groups) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < series; ++i) {
    Labels l{{"__name__", "m"}, {"g", std::to_string(i % groups)}, {"i", std::to_string(i)}};
    int first = static_cast<int>(rng() % 40);
    for (int s = first; s < kSteps; ++s) {
      if (rng() % 10 == 0) continue;  // a gap
      double r = unit(rng);
      double v = r < 0.01   ? INFINITY
                 : r < 0.02 ? -INFINITY
                 : r < 0.03 ? NAN
                            : (unit(rng) - 0.5) * std::pow(10.0, static_cast<int>(rng() % 30));
      storage.append(l, s * kStep, v);
    }
  }
}

void expectRangeEqualsInstants(const Engine& engine, MemoryStorage& storage, const std::string& q) {
  auto range = engine.rangeQuery(storage, q, 0, (kSteps - 1) * kStep, kStep);
  std::map<std::string, std::map<int64_t, double>> by_labels;
  size_t points = 0;
  for (const auto& s : range.series) {
    for (const auto& p : s.points) by_labels[s.metric.toString()][p.t] = p.v;
    points += s.points.size();
  }
  size_t instant_points = 0;
  for (int s = 0; s < kSteps; s += 7) {
    auto inst = engine.instantQuery(storage, q, s * kStep);
    for (const auto& r : inst.series) {
      ASSERT_EQ(r.points.size(), 1u);
      auto it = by_labels[r.metric.toString()].find(s * kStep);
      ASSERT_NE(it, by_labels[r.metric.toString()].end()) << q << " " << r.metric.toString();
      EXPECT_EQ(bits(it->second), bits(r.points[0].v))
          << q << " " << r.metric.toString() << " at step " << s;
      ++instant_points;
    }
  }
  EXPECT_GT(instant_points, 0u) << q;
  EXPECT_GT(points, instant_points) << q;
}

class AggregationTest : public ::testing::TestWithParam<int> {};

TEST_P(AggregationTest, RangeEqualsInstantAtEveryStep) {
  MemoryStorage storage;
  load(storage, 1200, GetParam());
  Engine engine;
  for (const char* op : {"sum", "avg", "count", "group", "min", "max", "stddev", "stdvar"}) {
    expectRangeEqualsInstants(engine, storage, std::string(op) + " by (g) (m)");
  }
}

// 10 groups: series by series; 400 groups x 301 steps: more accumulators than a quarter of
// the input's points, so step by step.
INSTANTIATE_TEST_SUITE_P(Groups, AggregationTest, ::testing::Values(10, 400));

TEST(Aggregation, InstantOutputKeepsTheOrderGroupsAreFirstSeenIn) {
  MemoryStorage storage;
  // Input order (by labels, "a" first): group "z" is met before group "a".
  storage.append(Labels{{"__name__", "m"}, {"a", "1"}, {"g", "z"}}, 0, 1);
  storage.append(Labels{{"__name__", "m"}, {"a", "2"}, {"g", "a"}}, 0, 2);
  storage.append(Labels{{"__name__", "m"}, {"a", "3"}, {"g", "z"}}, 0, 3);
  Engine engine;
  auto r = engine.instantQuery(storage, "sum by (g) (m)", 0);
  ASSERT_EQ(r.series.size(), 2u);
  EXPECT_EQ(r.series[0].metric.get("g"), "z");
  EXPECT_EQ(r.series[0].points[0].v, 4);
  EXPECT_EQ(r.series[1].metric.get("g"), "a");
}

}  // namespace
}  // namespace strata::promql
