// Cases carried over as data from Prometheus v2.42.0 promql/parser/prettier_test.go (aggregations,
// binary expressions, calls, parentheses, @).
#include <gtest/gtest.h>

#include "tests/promql/pretty_case.h"

namespace strata::promql {
namespace {

// TestAggregateExprPretty
TEST(Prettier, Aggregate) {
  expectPretty({
      {R"q(sum(foo))q", R"q(sum(foo))q"},
      {R"q(sum by() (task:errors:rate10s{job="s"}))q",
       R"q(sum(
  task:errors:rate10s{job="s"}
))q"},
      {R"q(sum without(job,foo) (task:errors:rate10s{job="s"}))q",
       R"q(sum without (job, foo) (
  task:errors:rate10s{job="s"}
))q"},
      {R"q(sum(task:errors:rate10s{job="s"}) without(job,foo))q",
       R"q(sum without (job, foo) (
  task:errors:rate10s{job="s"}
))q"},
      {R"q(sum by(job,foo) (task:errors:rate10s{job="s"}))q",
       R"q(sum by (job, foo) (
  task:errors:rate10s{job="s"}
))q"},
      {R"q(sum (task:errors:rate10s{job="s"}) by(job,foo))q",
       R"q(sum by (job, foo) (
  task:errors:rate10s{job="s"}
))q"},
      {R"q(topk(10, ask:errors:rate10s{job="s"}))q",
       R"q(topk(
  10,
  ask:errors:rate10s{job="s"}
))q"},
      {R"q(sum by(job,foo) (sum by(job,foo) (task:errors:rate10s{job="s"})))q",
       R"q(sum by (job, foo) (
  sum by (job, foo) (
    task:errors:rate10s{job="s"}
  )
))q"},
      {R"q(sum by(job,foo) (sum by(job,foo) (sum by(job,foo) (task:errors:rate10s{job="s"}))))q",
       R"q(sum by (job, foo) (
  sum by (job, foo) (
    sum by (job, foo) (
      task:errors:rate10s{job="s"}
    )
  )
))q"},
      {R"q(sum by(job,foo)
(sum by(job,foo) (task:errors:rate10s{job="s"})))q",
       R"q(sum by (job, foo) (
  sum by (job, foo) (
    task:errors:rate10s{job="s"}
  )
))q"},
      {R"q(sum by(job,foo)
(sum(task:errors:rate10s{job="s"}) without(job,foo)))q",
       R"q(sum by (job, foo) (
  sum without (job, foo) (
    task:errors:rate10s{job="s"}
  )
))q"},
      {R"q(sum by(job,foo) # Comment 1.
(sum by(job,foo) ( # Comment 2.
task:errors:rate10s{job="s"})))q",
       R"q(sum by (job, foo) (
  sum by (job, foo) (
    task:errors:rate10s{job="s"}
  )
))q"},
  });
}

// TestBinaryExprPretty
TEST(Prettier, Binary) {
  expectPretty({
      {R"q(a+b)q", R"q(a + b)q"},
      {R"q(a == bool 1)q",
       R"q(  a
== bool
  1)q"},
      {R"q(a + ignoring(job) b)q",
       R"q(  a
+ ignoring (job)
  b)q"},
      {R"q(foo_1 + foo_2)q",
       R"q(  foo_1
+
  foo_2)q"},
      {R"q(foo_1 + foo_2 + foo_3)q",
       R"q(    foo_1
  +
    foo_2
+
  foo_3)q"},
      {R"q(foo + baar + foo_3)q",
       R"q(  foo + baar
+
  foo_3)q"},
      {R"q(foo_1 + foo_2 + foo_3 + foo_4)q",
       R"q(      foo_1
    +
      foo_2
  +
    foo_3
+
  foo_4)q"},
      {R"q(foo_1 + ignoring(foo) foo_2 + ignoring(job) group_left foo_3 + on(instance) group_right foo_4)q",
       R"q(      foo_1
    + ignoring (foo)
      foo_2
  + ignoring (job) group_left ()
    foo_3
+ on (instance) group_right ()
  foo_4)q"},
  });
}

// TestCallExprPretty
TEST(Prettier, Call) {
  expectPretty({
      {R"q(rate(foo[1m]))q",
       R"q(rate(
  foo[1m]
))q"},
      {R"q(sum_over_time(foo[1m]))q",
       R"q(sum_over_time(
  foo[1m]
))q"},
      {R"q(rate(long_vector_selector[10m:1m] @ start() offset 1m))q",
       R"q(rate(
  long_vector_selector[10m:1m] @ start() offset 1m
))q"},
      {R"q(histogram_quantile(0.9, rate(foo[1m])))q",
       R"q(histogram_quantile(
  0.9,
  rate(
    foo[1m]
  )
))q"},
      {R"q(max_over_time(rate(demo_api_request_duration_seconds_count[1m])[1m:] @ start() offset 1m))q",
       R"q(max_over_time(
  rate(
    demo_api_request_duration_seconds_count[1m]
  )[1m:] @ start() offset 1m
))q"},
      {R"q(label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*"))q",
       R"q(label_replace(
  up{job="api-server",service="a:c"},
  "foo",
  "$1",
  "service",
  "(.*):.*"
))q"},
      {R"q(label_replace(label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*"), "foo", "$1", "service", "(.*):.*"))q",
       R"q(label_replace(
  label_replace(
    up{job="api-server",service="a:c"},
    "foo",
    "$1",
    "service",
    "(.*):.*"
  ),
  "foo",
  "$1",
  "service",
  "(.*):.*"
))q"},
  });
}

// TestParenExprPretty
TEST(Prettier, Paren) {
  expectPretty({
      {R"q((foo))q", R"q((foo))q"},
      {R"q((_foo_long_))q",
       R"q((
  _foo_long_
))q"},
      {R"q(((foo_long)))q",
       R"q((
  (foo_long)
))q"},
      {R"q(((_foo_long_)))q",
       R"q((
  (
    _foo_long_
  )
))q"},
      {R"q((((foo_long))))q",
       R"q((
  (
    (foo_long)
  )
))q"},
  });
}

// TestStepInvariantExpr
TEST(Prettier, StepInvariant) {
  expectPretty({
      {R"q(a @ 1)q", R"q(a @ 1.000)q"},
      {R"q(a @ start())q", R"q(a @ start())q"},
      {R"q(vector_selector @ start())q", R"q(vector_selector @ start())q"},
  });
}

// At the default width of 100, as Prometheus 2.42's /api/v1/format_query answered; the second
// shows its quirk of a subquery that fits printed without its level's indent.
TEST(Prettier, DefaultWidth) {
  expectPretty(
      {
          {R"q(sum(foo) / 2)q", R"q(sum(foo) / 2)q"},
          {R"q(stddev_over_time(deriv(process_resident_memory_bytes{job="prometheus",instance="localhost:9090"}[5m])[1h:]) > bool 1e+06)q",
           R"q(  stddev_over_time(
deriv(process_resident_memory_bytes{instance="localhost:9090",job="prometheus"}[5m])[1h:]
  )
> bool
  1e+06)q"},
      },
      kPrettyMaxLine);
}

}  // namespace
}  // namespace strata::promql
