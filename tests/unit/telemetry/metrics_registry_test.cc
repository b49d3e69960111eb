#include "core/telemetry/metrics_registry.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

namespace strata::telemetry {
namespace {

TEST(MetricsRegistry, GetOrCreateReturnsTheSameSeries) {
  MetricsRegistry r;
  auto* a = r.counter("strata_x_total", "X.", {{"b", "2"}, {"a", "1"}});
  auto* b = r.counter("strata_x_total", "X.", {{"a", "1"}, {"b", "2"}});  // other order
  auto* c = r.counter("strata_x_total", "X.", {{"a", "1"}, {"b", "3"}});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  a->add(2);
  b->add(0.5);
  EXPECT_EQ(a->value(), 2.5);
  EXPECT_EQ(c->value(), 0);
}

TEST(MetricsRegistry, ConflictsAndBadNamesThrow) {
  MetricsRegistry r;
  r.counter("strata_a_total", "A.");
  EXPECT_THROW(r.gauge("strata_a_total", "A."), std::invalid_argument);        // other type
  EXPECT_THROW(r.counter("strata_a_total", "Other."), std::invalid_argument);  // other help
  EXPECT_THROW(r.counter("strata_b", "B."), std::invalid_argument);      // counter without _total
  EXPECT_THROW(r.gauge("strata_c_total", "C."), std::invalid_argument);  // gauge with _total
  EXPECT_THROW(r.gauge("1abc", "x"), std::invalid_argument);
  EXPECT_THROW(r.gauge("a-b", "x"), std::invalid_argument);
  EXPECT_THROW(r.gauge("", "x"), std::invalid_argument);
  EXPECT_THROW(r.gauge("strata_d_count", "x"), std::invalid_argument);
  EXPECT_THROW(r.gauge("g", "x", {{"__reserved", "v"}}), std::invalid_argument);
  EXPECT_THROW(r.gauge("g", "x", {{"1a", "v"}}), std::invalid_argument);
  EXPECT_THROW(r.gauge("g", "x", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
  EXPECT_THROW(r.gauge("g", "x", {{"le", "1"}}), std::invalid_argument);
  EXPECT_THROW(r.gauge("g", "x", {{"a", "\xff"}}), std::invalid_argument);
  EXPECT_THROW(r.series(static_cast<strata_metric_type>(7), "g", "x", {}), std::invalid_argument);
  try {
    r.gauge("strata_a_total", "A.");
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("strata_a_total"), std::string::npos) << e.what();
  }
  // A failed registration left nothing behind.
  EXPECT_EQ(r.render().find("# HELP g "), std::string::npos);
  EXPECT_NO_THROW(r.gauge("ns:rule_level", "colons are legal", {{"_a", "x"}}));
}

TEST(MetricsRegistry, RendersTextFormat) {
  MetricsRegistry r;
  r.gauge("zeta", "Last family.")->set(1.5);
  r.counter("alpha_total", "Help with \\ and\nnewline.", {{"path", "/a\"b\\c\nd"}})->add(3);
  r.counter("alpha_total", "Help with \\ and\nnewline.", {{"path", "/"}})->add(1e6);
  r.gauge("mid", "Mid.", {{"k", "v"}})->set(-std::numeric_limits<double>::infinity());
  EXPECT_EQ(r.render(),
            "# HELP alpha_total Help with \\\\ and\\nnewline.\n"
            "# TYPE alpha_total counter\n"
            "alpha_total{path=\"/\"} 1000000\n"
            "alpha_total{path=\"/a\\\"b\\\\c\\nd\"} 3\n"
            "# HELP mid Mid.\n"
            "# TYPE mid gauge\n"
            "mid{k=\"v\"} -Inf\n"
            "# HELP zeta Last family.\n"
            "# TYPE zeta gauge\n"
            "zeta 1.5\n");
}

TEST(MetricsRegistry, ConcurrentAddsAreNotLost) {
  MetricsRegistry r;
  constexpr int kThreads = 4, kAdds = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      auto* s = r.counter("strata_hits_total", "Hits.", {{"t", "x"}});
      for (int i = 0; i < kAdds; ++i) s->add(1);
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(r.counter("strata_hits_total", "Hits.", {{"t", "x"}})->value(), kThreads * kAdds);
}

}  // namespace
}  // namespace strata::telemetry
