// Dynamic resharding end to end: a slow loopback receiver (every request takes 40 ms) makes
// one shard too slow for the load, so the exporter grows to max_shards; under a trickle it
// shrinks back to min_shards. Every sample arrives exactly once and in order per series.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <thread>

#include "fake_host.h"
#include "loopback_sink.h"
#include "remote_write_exporter.h"
#include "test_util.h"

namespace strata::rwexporter {
namespace {

using namespace std::chrono_literals;
using strata::testing::FakeHost;
using testing::eventually;
using testing::freshDir;
using testing::LoopbackSink;
using testing::makeBatch;
using testing::testConfig;

constexpr const char* kShards = "strata_remote_write_shards";

bool logged(FakeHost& fake, const std::string& from, const std::string& to) {
  auto logs = fake.logs();
  return std::any_of(logs.begin(), logs.end(), [&](const std::string& l) {
    return l.find("remote write resharding") != std::string::npos &&
           l.find(" from=" + from) != std::string::npos && l.find(" to=" + to) != std::string::npos;
  });
}

TEST(RemoteWriteReshardTest, GrowsToMaxUnderLoadAndShrinksBack) {
  LoopbackSink sink(16);
  sink.setLatency(40ms);
  FakeHost fake;
  auto cfg = testConfig(sink.url(), freshDir());
  cfg.queue_config.min_shards = 1;
  cfg.queue_config.max_shards = 4;
  cfg.queue_config.max_samples_per_send = 100;
  cfg.queue_config.batch_send_deadline = Millis(100);
  cfg.queue_config.shard_update_interval = Millis(250);
  RemoteWriteExporter e(fake.host(), cfg);
  ASSERT_EQ(e.start(), STRATA_OK);
  EXPECT_EQ(fake.metric("strata_remote_write_shards_min"), 1);
  EXPECT_EQ(fake.metric("strata_remote_write_shards_max"), 4);

  // Load: 40 series x 5 samples every 20 ms = 10000 samples/s; one shard sends about 2500/s.
  constexpr int kSeries = 40, kPer = 5;
  int64_t batches = 0, samples = 0, trickle = 0;
  double most = 0;
  auto until = std::chrono::steady_clock::now() + 30s;
  while (fake.metric(kShards) < 4 && std::chrono::steady_clock::now() < until) {
    ASSERT_EQ(e.consume(makeBatch(kSeries, kPer, batches++ * kPer)), STRATA_OK);
    samples += kSeries * kPer;
    most = std::max(most, fake.metric(kShards));
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(fake.metric(kShards), 4) << "grows to max_shards under load";
  EXPECT_GE(fake.metric("strata_remote_write_shards_desired"), 3);
  // A little more load at 4 shards, then a trickle: one series, 5 samples every 100 ms.
  for (int i = 0; i < 25; ++i) {
    ASSERT_EQ(e.consume(makeBatch(kSeries, kPer, batches++ * kPer)), STRATA_OK);
    samples += kSeries * kPer;
    most = std::max(most, fake.metric(kShards));
    std::this_thread::sleep_for(20ms);
  }
  until = std::chrono::steady_clock::now() + 40s;
  while (fake.metric(kShards) > 1 && std::chrono::steady_clock::now() < until) {
    ASSERT_EQ(e.consume(makeBatch(1, kPer, batches++ * kPer)), STRATA_OK);
    samples += kPer;
    ++trickle;
    most = std::max(most, fake.metric(kShards));
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(fake.metric(kShards), 1) << "shrinks back to min_shards under a trickle";
  EXPECT_EQ(most, 4) << "never above max_shards";
  EXPECT_TRUE(logged(fake, "1", "4") || logged(fake, "2", "4") || logged(fake, "3", "4"));
  EXPECT_TRUE(logged(fake, "4", "1") || logged(fake, "2", "1") || logged(fake, "3", "1"));

  ASSERT_TRUE(sink.waitAccepted(static_cast<size_t>(samples), 30s));
  ASSERT_TRUE(eventually([&] { return e.queueStats().entries == 0; }));
  e.stop();
  // Exactly once and in order: each series' timestamps are 0, 1, 2, ... with no gap or repeat.
  auto got = sink.accepted();
  EXPECT_EQ(got.size(), static_cast<size_t>(samples));
  std::map<std::string, int64_t> next;
  for (const auto& s : got) {
    auto& want = next[s.series];
    ASSERT_EQ(s.ts, want) << s.series;
    want = s.ts + 1;
  }
  ASSERT_EQ(next.size(), static_cast<size_t>(kSeries));
  EXPECT_EQ(next["m{s=\"0\"}"], (batches)*kPer) << "series 0 got every batch";
  EXPECT_EQ(fake.metric("strata_remote_write_samples_sent_total"), samples);
  (void)trickle;
}

}  // namespace
}  // namespace strata::rwexporter
