// The generator: batch construction tick by tick, retry without loss, and the thread.
#include "generator.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "fake_host.h"
#include "prompb/sample_line.h"
#include "series_source.h"
#include "test_config.h"

namespace strata::generator {
namespace {

using strata::testing::FakeHost;
using strata::testing::TestConfig;

std::string lines(strata_metrics_batch* raw) {
  sdk::OwnedBatch b(raw);
  std::string out;
  prompb::appendBatchLines(out, b.view());
  return out;
}

GeneratorConfig small(int64_t series, bool counter = true) {
  GeneratorConfig c;
  c.series = series;
  c.counter = counter;
  c.labels = {{"env", "test"}};
  c.tenant = "t1";
  return c;
}

TEST(SeriesSourceTest, OneSamplePerSeriesPerTick) {
  SeriesSource s(small(2));
  s.tick(1000);
  sdk::OwnedBatch b(s.buildBatch());
  EXPECT_EQ(b.view().tenant(), "t1");
  EXPECT_EQ(b.view().seriesCount(), 2u);
  EXPECT_EQ(b.view().sampleCount(), 2u);
  std::string out;
  prompb::appendBatchLines(out, b.view());
  EXPECT_EQ(out,
            "strata_generated{env=\"test\",series=\"0\"} 1 1000\n"
            "strata_generated{env=\"test\",series=\"1\"} 2 1000\n");
}

TEST(SeriesSourceTest, PendingTicksAccumulateUntilCleared) {
  SeriesSource s(small(1));
  s.tick(1000);
  s.tick(1000);  // same clock reading: forced 1 ms later
  EXPECT_EQ(s.pendingSamples(), 2u);
  EXPECT_EQ(lines(s.buildBatch()),
            "strata_generated{env=\"test\",series=\"0\"} 1 1000\n"
            "strata_generated{env=\"test\",series=\"0\"} 2 1001\n");
  s.clearPending();
  s.tick(900);  // clock went back: still after the last timestamp
  EXPECT_EQ(lines(s.buildBatch()), "strata_generated{env=\"test\",series=\"0\"} 3 1002\n");
}

TEST(SeriesSourceTest, BacklogIsBounded) {
  SeriesSource s(small(3));
  size_t dropped = 0;
  for (size_t i = 0; i < SeriesSource::kMaxPendingTicks + 5; ++i) dropped += s.tick(1000 + i);
  EXPECT_EQ(dropped, 5u * 3);
  EXPECT_EQ(s.pendingSamples(), SeriesSource::kMaxPendingTicks * 3);
}

TEST(SeriesSourceTest, GaugeValuesStayInRange) {
  SeriesSource s(small(4, false));
  s.tick(123456);
  sdk::OwnedBatch b(s.buildBatch());
  for (size_t i = 0; i < 4; ++i) EXPECT_LE(std::abs(b.view().values(i)[0]), 100.0);
}

TEST(GeneratorConfigTest, ParsesAndRefuses) {
  TestConfig ok;
  ok.set("series", int64_t{3}).set("interval", int64_t{50}).set("kind", "gauge");
  ok.set("labels", std::map<std::string, std::string>{{"a", "b"}}).set("tenant", "x");
  GeneratorConfig c = GeneratorConfig::parse(ok.view());
  EXPECT_EQ(c.series, 3);
  EXPECT_EQ(c.interval_ms, 50);
  EXPECT_FALSE(c.counter);
  EXPECT_EQ(c.labels.at("a"), "b");
  EXPECT_EQ(c.metric_name, "strata_generated");

  TestConfig bad_kind;
  bad_kind.set("kind", "histogram");
  EXPECT_THROW(GeneratorConfig::parse(bad_kind.view()), std::invalid_argument);
  TestConfig bad_label;
  bad_label.set("labels", std::map<std::string, std::string>{{"series", "x"}});
  EXPECT_THROW(GeneratorConfig::parse(bad_label.view()), std::invalid_argument);
  TestConfig zero;
  zero.set("series", int64_t{0});
  EXPECT_THROW(GeneratorConfig::parse(zero.view()), std::invalid_argument);
}

TEST(GeneratorTest, RetryKeepsDataAndCountsEveryOutcome) {
  FakeHost fake;
  TestConfig cfg;
  cfg.set("series", int64_t{2});
  Generator g(fake.host(), cfg.view());
  fake.setEmitStatus(STRATA_RETRY);
  EXPECT_EQ(g.tickOnce(1000), STRATA_RETRY);
  fake.setEmitStatus(STRATA_OK);
  EXPECT_EQ(g.tickOnce(2000), STRATA_OK);
  auto emitted = fake.emitted();
  ASSERT_EQ(emitted.size(), 2u);
  EXPECT_EQ(emitted[1].samples, 4u) << "the retried tick must ride along with the next one";
  EXPECT_NE(emitted[1].lines.find("series=\"0\"} 1 1000"), std::string::npos) << emitted[1].lines;
  EXPECT_EQ(fake.metric("strata_generator_samples_retried_total"), 2);
  EXPECT_EQ(fake.metric("strata_generator_samples_emitted_total"), 4);
  fake.setEmitStatus(STRATA_REJECT);
  g.tickOnce(3000);
  EXPECT_EQ(fake.metric("strata_generator_samples_rejected_total"), 2);
  fake.setEmitStatus(STRATA_OK);
  g.tickOnce(4000);
  EXPECT_EQ(fake.emitted().back().samples, 2u) << "rejected samples are not resent";
}

TEST(GeneratorTest, ThreadTicksUntilStopped) {
  FakeHost fake;
  TestConfig cfg;
  cfg.set("series", int64_t{2}).set("interval", int64_t{5});
  Generator g(fake.host(), cfg.view());
  ASSERT_EQ(g.start(), STRATA_OK);
  ASSERT_TRUE(fake.waitForEmits(3, std::chrono::seconds(10)));
  EXPECT_EQ(g.drain(), STRATA_OK);
  g.stop();  // idempotent
  size_t n = fake.emitted().size();
  // Timestamps strictly increase per series across batches.
  std::map<std::string, int64_t> last;
  for (const auto& e : fake.emitted()) {
    std::istringstream in(e.lines);
    std::string series, value;
    int64_t ts;
    while (in >> series >> value >> ts) {
      auto it = last.find(series);
      if (it != last.end()) {
        EXPECT_GT(ts, it->second);
      }
      last[series] = ts;
    }
  }
  EXPECT_EQ(last.size(), 2u);
  EXPECT_EQ(fake.emitted().size(), n) << "no emit after drain";
}

}  // namespace
}  // namespace strata::generator
