// Cases carried over as data from Prometheus v2.42.0 promql/parser/prettier_test.go (mixed
// expressions, unary).
#include <gtest/gtest.h>

#include "tests/promql/pretty_case.h"

namespace strata::promql {
namespace {

// TestExprPretty
TEST(Prettier, Expr) {
  expectPretty({
      {R"q((1 + 2))q", R"q((1 + 2))q"},
      {R"q((foo + bar))q",
       R"q((
  foo + bar
))q"},
      {R"q((foo_long + bar_long))q",
       R"q((
    foo_long
  +
    bar_long
))q"},
      {R"q((foo_long + bar_long + bar_2_long))q",
       R"q((
      foo_long
    +
      bar_long
  +
    bar_2_long
))q"},
      {R"q(((foo_long + bar_long) + bar_2_long))q",
       R"q((
    (
        foo_long
      +
        bar_long
    )
  +
    bar_2_long
))q"},
      {R"q((1111 + 2222))q",
       R"q((
    1111
  +
    2222
))q"},
      {R"q((sum_over_time(foo[1m])))q",
       R"q((
  sum_over_time(
    foo[1m]
  )
))q"},
      {R"q(histogram_quantile(0.9, rate(foo[1m] @ start())))q",
       R"q(histogram_quantile(
  0.9,
  rate(
    foo[1m] @ start()
  )
))q"},
      {R"q((label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")))q",
       R"q((
  label_replace(
    up{job="api-server",service="a:c"},
    "foo",
    "$1",
    "service",
    "(.*):.*"
  )
))q"},
      {R"q((label_replace(label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*"), "foo", "$1", "service", "(.*):.*")))q",
       R"q((
  label_replace(
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
  )
))q"},
      {R"q((label_replace(label_replace((up{job="api-server",service="a:c"}), "foo", "$1", "service", "(.*):.*"), "foo", "$1", "service", "(.*):.*")))q",
       R"q((
  label_replace(
    label_replace(
      (
        up{job="api-server",service="a:c"}
      ),
      "foo",
      "$1",
      "service",
      "(.*):.*"
    ),
    "foo",
    "$1",
    "service",
    "(.*):.*"
  )
))q"},
      {R"q((node_filesystem_avail_bytes{job="node",fstype!=""} / node_filesystem_size_bytes{job="node",fstype!=""} * 100 < 40 and predict_linear(node_filesystem_avail_bytes{job="node",fstype!=""}[6h], 24*60*60) < 0 and node_filesystem_readonly{job="node",fstype!=""} == 0))q",
       R"q((
            node_filesystem_avail_bytes{fstype!="",job="node"}
          /
            node_filesystem_size_bytes{fstype!="",job="node"}
        *
          100
      <
        40
    and
        predict_linear(
          node_filesystem_avail_bytes{fstype!="",job="node"}[6h],
            24 * 60
          *
            60
        )
      <
        0
  and
      node_filesystem_readonly{fstype!="",job="node"}
    ==
      0
))q"},
      {R"q((node_filesystem_avail_bytes{job="node",fstype!=""} / node_filesystem_size_bytes{job="node",fstype!=""} * 100 < 20 and predict_linear(node_filesystem_avail_bytes{job="node",fstype!=""}[6h], 4*60*60) < 0 and node_filesystem_readonly{job="node",fstype!=""} == 0))q",
       R"q((
            node_filesystem_avail_bytes{fstype!="",job="node"}
          /
            node_filesystem_size_bytes{fstype!="",job="node"}
        *
          100
      <
        20
    and
        predict_linear(
          node_filesystem_avail_bytes{fstype!="",job="node"}[6h],
            4 * 60
          *
            60
        )
      <
        0
  and
      node_filesystem_readonly{fstype!="",job="node"}
    ==
      0
))q"},
      {R"q((node_timex_offset_seconds > 0.05 and deriv(node_timex_offset_seconds[5m]) >= 0) or (node_timex_offset_seconds < -0.05 and deriv(node_timex_offset_seconds[5m]) <= 0))q",
       R"q(  (
        node_timex_offset_seconds
      >
        0.05
    and
        deriv(
          node_timex_offset_seconds[5m]
        )
      >=
        0
  )
or
  (
        node_timex_offset_seconds
      <
        -0.05
    and
        deriv(
          node_timex_offset_seconds[5m]
        )
      <=
        0
  ))q"},
      {R"q(1 - ((node_memory_MemAvailable_bytes{job="node"} or (node_memory_Buffers_bytes{job="node"} + node_memory_Cached_bytes{job="node"} + node_memory_MemFree_bytes{job="node"} + node_memory_Slab_bytes{job="node"}) ) / node_memory_MemTotal_bytes{job="node"}))q",
       R"q(  1
-
  (
      (
          node_memory_MemAvailable_bytes{job="node"}
        or
          (
                  node_memory_Buffers_bytes{job="node"}
                +
                  node_memory_Cached_bytes{job="node"}
              +
                node_memory_MemFree_bytes{job="node"}
            +
              node_memory_Slab_bytes{job="node"}
          )
      )
    /
      node_memory_MemTotal_bytes{job="node"}
  ))q"},
      {R"q(min by (job, integration) (rate(alertmanager_notifications_failed_total{job="alertmanager", integration=~".*"}[5m]) / rate(alertmanager_notifications_total{job="alertmanager", integration="~.*"}[5m])) > 0.01)q",
       R"q(  min by (job, integration) (
      rate(
        alertmanager_notifications_failed_total{integration=~".*",job="alertmanager"}[5m]
      )
    /
      rate(
        alertmanager_notifications_total{integration="~.*",job="alertmanager"}[5m]
      )
  )
>
  0.01)q"},
      {R"q((count by (job) (changes(process_start_time_seconds{job="alertmanager"}[10m]) > 4) / count by (job) (up{job="alertmanager"})) >= 0.5)q",
       R"q(  (
      count by (job) (
          changes(
            process_start_time_seconds{job="alertmanager"}[10m]
          )
        >
          4
      )
    /
      count by (job) (
        up{job="alertmanager"}
      )
  )
>=
  0.5)q"},
  });
}

// TestUnaryPretty
TEST(Prettier, Unary) {
  expectPretty({
      {R"q(-1)q", R"q(-1)q"},
      {R"q(-vector_selector)q", R"q(-vector_selector)q"},
      {R"q((-vector_selector))q",
       R"q((
  -vector_selector
))q"},
      {R"q(-histogram_quantile(0.9,rate(foo[1m])))q",
       R"q(-histogram_quantile(
  0.9,
  rate(
    foo[1m]
  )
))q"},
      {R"q(-histogram_quantile(0.99, sum by (le) (rate(foo[1m]))))q",
       R"q(-histogram_quantile(
  0.99,
  sum by (le) (
    rate(
      foo[1m]
    )
  )
))q"},
      {R"q(-histogram_quantile(0.9, -rate(foo[1m] @ start())))q",
       R"q(-histogram_quantile(
  0.9,
  -rate(
    foo[1m] @ start()
  )
))q"},
      {R"q((-histogram_quantile(0.9, -rate(foo[1m] @ start()))))q",
       R"q((
  -histogram_quantile(
    0.9,
    -rate(
      foo[1m] @ start()
    )
  )
))q"},
  });
}

}  // namespace
}  // namespace strata::promql
