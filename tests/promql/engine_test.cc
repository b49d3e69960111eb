#include "core/promql/engine.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/promql/memory_storage.h"
#include "core/promql/test_script.h"

namespace strata::promql {
namespace {

class EngineTest : public ::testing::Test {
 protected:
  void load(const Labels& l, std::vector<Point> pts) {
    for (auto p : pts) storage_.append(l, p.t, p.v);
  }
  double scalar(const std::string& q, int64_t t = 0) {
    auto r = engine_.instantQuery(storage_, q, t);
    EXPECT_EQ(r.type, ValueType::kScalar) << q;
    return r.scalar;
  }
  QueryResult vec(const std::string& q, int64_t t) {
    auto r = engine_.instantQuery(storage_, q, t);
    EXPECT_EQ(r.type, ValueType::kVector) << q;
    return r;
  }
  MemoryStorage storage_;
  Engine engine_;
};

TEST_F(EngineTest, LookbackAndStalenessEndSeries) {
  Labels l{{"__name__", "m"}};
  load(l, {{0, 1}, {60000, 2}, {120000, staleNaN()}});
  EXPECT_EQ(vec("m", 90000).series[0].points[0].v, 2);
  EXPECT_TRUE(vec("m", 120000).series.empty());           // stale marker ends it
  EXPECT_EQ(vec("m", 60000 + 300000).series.size(), 0u);  // after stale, nothing
  MemoryStorage other;
  other.append(l, 0, 5);
  EXPECT_EQ(engine_.instantQuery(other, "m", 300000).series.size(), 1u);  // lookback is closed
  EXPECT_EQ(engine_.instantQuery(other, "m", 300001).series.size(), 0u);
}

TEST_F(EngineTest, FunctionEdgeCases) {
  EXPECT_EQ(scalar("scalar(vector(3))"), 3);
  EXPECT_TRUE(std::isnan(scalar("scalar(nothing)")));
  EXPECT_EQ(scalar("time()", 5000), 5);
  Labels l{{"__name__", "v"}, {"a", "x"}};
  load(l, {{0, -2.5}});
  EXPECT_EQ(vec("round(v)", 0).series[0].points[0].v, -2);  // round half up
  EXPECT_EQ(vec("round(v, 2)", 0).series[0].points[0].v, -2);
  EXPECT_EQ(vec("sgn(v)", 0).series[0].points[0].v, -1);
  EXPECT_TRUE(vec("clamp(v, 1, 0)", 0).series.empty());  // max < min: nothing
  EXPECT_EQ(vec("clamp_min(v, 0)", 0).series[0].points[0].v, 0);
  EXPECT_EQ(vec("abs(v)", 0).series[0].metric.get("__name__"), "");  // name dropped
  EXPECT_EQ(vec("year(vector(0))", 0).series[0].points[0].v, 1970);
  EXPECT_EQ(vec("day_of_week(vector(86400 * 3))", 0).series[0].points[0].v, 0);  // a Sunday
  EXPECT_EQ(vec("days_in_month(vector(31 * 86400))", 0).series[0].points[0].v, 28);
  auto absent = vec("absent(nope{job=\"a\", x=~\"y\"})", 0);
  ASSERT_EQ(absent.series.size(), 1u);
  EXPECT_EQ(absent.series[0].metric, (Labels{{"job", "a"}}));
  auto lr = vec("label_replace(v, \"b\", \"$1-${1}$$\", \"a\", \"(.*)\")", 0);
  EXPECT_EQ(lr.series[0].metric.get("b"), "x-x$");
}

TEST_F(EngineTest, RateExtrapolatesLikePrometheus) {
  Labels l{{"__name__", "c"}};
  for (int i = 0; i <= 10; ++i) storage_.append(l, i * 60000, i * 60.0);
  // A counter rising 1/s sampled every minute: rate is 1 over any covered window.
  EXPECT_NEAR(vec("rate(c[5m])", 600000).series[0].points[0].v, 1.0, 1e-9);
  EXPECT_NEAR(vec("increase(c[5m])", 600000).series[0].points[0].v, 300.0, 1e-9);
  storage_.append(l, 11 * 60000, 0);  // reset
  EXPECT_EQ(vec("resets(c[5m])", 11 * 60000).series[0].points[0].v, 1);
}

TEST_F(EngineTest, RangeQueryStepsAndAlignment) {
  Labels l{{"__name__", "m"}};
  for (int i = 0; i <= 10; ++i) storage_.append(l, i * 10000, i);
  auto r = engine_.rangeQuery(storage_, "m", 0, 100000, 20000);
  ASSERT_EQ(r.type, ValueType::kMatrix);
  ASSERT_EQ(r.series[0].points.size(), 6u);
  EXPECT_EQ(r.series[0].points[5].v, 10);
  auto s = engine_.rangeQuery(storage_, "1 + 1", 0, 60000, 30000);
  ASSERT_EQ(s.series.size(), 1u);
  EXPECT_EQ(s.series[0].points.size(), 3u);
  EXPECT_THROW(engine_.rangeQuery(storage_, "m[1m]", 0, 1, 1), QueryError);
}

TEST_F(EngineTest, LimitsFailWithClearErrors) {
  Labels a{{"__name__", "m"}, {"i", "1"}}, b{{"__name__", "m"}, {"i", "2"}};
  load(a, {{0, 1}});
  load(b, {{0, 1}});
  Engine small(EngineOptions{.max_samples = 1});
  try {
    small.instantQuery(storage_, "m", 0);
    FAIL() << "no error";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kTooManySamples);
    EXPECT_NE(std::string(e.what()).find("too many samples"), std::string::npos);
  }
  Engine series_limit(EngineOptions{.max_series = 1});
  EXPECT_THROW(series_limit.instantQuery(storage_, "m", 0), QueryError);
  Engine timeout(EngineOptions{.timeout_ms = -1});
  try {
    timeout.instantQuery(storage_, "m", 0);
    FAIL() << "no error";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kTimeout);
  }
  load(Labels{{"__name__", "n"}, {"i", "1"}}, {{0, 1}});
  try {  // dropping the names leaves two identical label sets
    engine_.instantQuery(storage_, "-{__name__=~\"m|n\"}", 0);
    FAIL() << "no error";
  } catch (const QueryError& e) {
    EXPECT_STREQ(e.what(), "vector cannot contain metrics with the same labelset");
  }
}

TEST(TestScript, ExpandsSeriesNotation) {
  auto v = expandSeriesValues("1+2x3 _ _x2 stale -1-1x1 Inf 5x1");
  ASSERT_EQ(v.size(), 13u);
  EXPECT_EQ(*v[3], 7);
  EXPECT_FALSE(v[4]);
  EXPECT_FALSE(v[6]);
  EXPECT_TRUE(isStaleNaN(*v[7]));
  EXPECT_EQ(*v[9], -2);
  EXPECT_TRUE(std::isinf(*v[10]));
  EXPECT_EQ(*v[12], 5);
}

TEST(TestScript, RunnerDetectsWrongExpectations) {
  auto cmds = parseTestScript(
      "load 1m\n  m{a=\"1\"} 0+1x5\n\neval instant at 2m m\n  m{a=\"1\"} 2\n\n"
      "eval instant at 2m m\n  m{a=\"1\"} 3\n\neval_fail instant at 0m m\n\n"
      "eval instant at 0m 1\n  1\n",
      "inline");
  MemoryStorage storage;
  auto out = runTestScript(cmds, Engine{}, storage);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_TRUE(out[0].passed) << out[0].message;
  EXPECT_FALSE(out[1].passed);
  EXPECT_FALSE(out[2].passed);
  EXPECT_TRUE(out[3].passed) << out[3].message;
}

}  // namespace
}  // namespace strata::promql
