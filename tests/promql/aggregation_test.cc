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

void expectSameResult(const Engine& engine, MemoryStorage& storage, const std::string& q1,
                      const std::string& q2) {
  auto a = engine.rangeQuery(storage, q1, 0, (kSteps - 1) * kStep, kStep);
  auto b = engine.rangeQuery(storage, q2, 0, (kSteps - 1) * kStep, kStep);
  ASSERT_EQ(a.series.size(), b.series.size()) << q1;
  for (size_t i = 0; i < a.series.size(); ++i) {
    EXPECT_EQ(a.series[i].metric, b.series[i].metric) << q1;
    ASSERT_EQ(a.series[i].points.size(), b.series[i].points.size()) << q1;
    for (size_t k = 0; k < a.series[i].points.size(); ++k) {
      EXPECT_EQ(a.series[i].points[k].t, b.series[i].points[k].t) << q1;
      EXPECT_EQ(bits(a.series[i].points[k].v), bits(b.series[i].points[k].v)) << q1;
    }
  }
}

class AggregationTest : public ::testing::TestWithParam<int> {};

// Three paths: straight over the selector's values (`OP by (g) (m)`), and over a
// materialised input (`m * 1` keeps every value's bits) series by series or, with many
// groups, step by step.
TEST_P(AggregationTest, EveryPathGivesTheSameBitsAndRangeEqualsInstant) {
  MemoryStorage storage;
  load(storage, 1200, GetParam());
  Engine engine;
  for (const char* op : {"sum", "avg", "count", "group", "min", "max", "stddev", "stdvar"}) {
    std::string streamed = std::string(op) + " by (g) (m)";
    std::string materialised = std::string(op) + " by (g) (m * 1)";
    expectRangeEqualsInstants(engine, storage, streamed);
    expectRangeEqualsInstants(engine, storage, materialised);
    expectSameResult(engine, storage, streamed, materialised);
  }
}

// 10 groups: series by series; 400 groups x 301 steps: more accumulators than a quarter of
// the input's points, so step by step.
INSTANTIATE_TEST_SUITE_P(Groups, AggregationTest, ::testing::Values(10, 400));

// An aggregation straight over a range function (the fused path) equals the same aggregation
// over the function's materialised output (`* 1` keeps every value's bits and stops fusion).
TEST(Aggregation, OverARangeFunctionEqualsOverItsMaterialisedOutput) {
  MemoryStorage storage;
  load(storage, 300, 7);
  Engine engine;
  for (const char* fn :
       {"rate(m[1m])", "increase(m[2m])", "delta(m[1m])", "irate(m[1m])", "avg_over_time(m[2m])",
        "max_over_time(m[1m])", "last_over_time(m[1m])", "count_over_time(m[1m])",
        "stddev_over_time(m[2m])", "predict_linear(m[2m], 60)", "holt_winters(m[2m], 0.5, 0.3)"}) {
    for (const char* op : {"sum", "avg", "count", "max", "stdvar"}) {
      expectSameResult(engine, storage, std::string(op) + " by (g) (" + fn + ")",
                       std::string(op) + " by (g) (" + fn + " * 1)");
    }
  }
}

// rate() of two series that differ only in their name gives two equal label sets: the
// query fails where they meet, fused or not.
TEST(Aggregation, OverARangeFunctionStillFailsOnDuplicateOutputSeries) {
  MemoryStorage storage;
  storage.append(Labels{{"__name__", "a"}, {"x", "1"}}, 0, 1);
  storage.append(Labels{{"__name__", "a"}, {"x", "1"}}, 30'000, 2);
  storage.append(Labels{{"__name__", "b"}, {"x", "1"}}, 0, 1);
  storage.append(Labels{{"__name__", "b"}, {"x", "1"}}, 30'000, 3);
  Engine engine;
  EXPECT_THROW(engine.instantQuery(storage, "sum(rate({__name__=~\"a|b\"}[1m]))", 30'000),
               QueryError);
  EXPECT_NO_THROW(engine.instantQuery(storage, "sum(rate(a[1m]))", 30'000));
}

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
