// queue_config.capacity: a shard reads requests from the durable queue ahead of the one it is
// sending, up to `capacity` samples, and no further; what it read ahead still arrives once and
// in order, and stays droppable by queue.max_bytes (the oldest go, not the newest).
#include <gtest/gtest.h>

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

uint64_t leasedWhileSlow(int64_t capacity, int64_t per_send) {
  LoopbackSink sink;
  sink.setLatency(200ms);
  FakeHost fake;
  auto cfg = testConfig(sink.url(), freshDir(std::to_string(capacity)));
  cfg.queue_config.min_shards = cfg.queue_config.max_shards = 1;
  cfg.queue_config.max_samples_per_send = per_send;
  cfg.queue_config.capacity = capacity;
  RemoteWriteExporter e(fake.host(), cfg);
  EXPECT_EQ(e.start(), STRATA_OK);
  for (int b = 0; b < 20; ++b) EXPECT_EQ(e.consume(makeBatch(1, 10, b * 10)), STRATA_OK);
  uint64_t most = 0;
  for (int i = 0; i < 60; ++i) {  // 600 ms: about three requests answered
    most = std::max(most, e.queueStats().leased);
    std::this_thread::sleep_for(10ms);
  }
  sink.setLatency(0ms);
  EXPECT_TRUE(sink.waitAccepted(200, 20s));
  EXPECT_TRUE(eventually([&] { return e.queueStats().entries == 0; }));
  EXPECT_EQ(e.queueStats().leased, 0u);
  e.stop();
  auto got = sink.accepted();
  EXPECT_EQ(got.size(), 200u);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].ts, static_cast<int64_t>(i));
  return most;
}

TEST(ShardCapacityTest, ReadsAheadUpToCapacityAndNoFurther) {
  // Requests of 10 samples: the one in flight plus two read ahead fill a capacity of 30.
  EXPECT_EQ(leasedWhileSlow(30, 10), 30u);
  EXPECT_EQ(leasedWhileSlow(35, 10), 30u) << "a request that does not fit is not read";
}

TEST(ShardCapacityTest, OneRequestAlwaysFits) { EXPECT_EQ(leasedWhileSlow(5, 10), 10u); }

TEST(ShardCapacityTest, FullQueueDropsReadAheadRequestsAsTheOldest) {
  LoopbackSink sink;
  sink.script(std::deque<int>(200, 503));  // an outage of a few seconds (backoff 2..20 ms)
  FakeHost fake;
  auto cfg = testConfig(sink.url(), freshDir());
  cfg.queue_config.min_shards = cfg.queue_config.max_shards = 1;
  cfg.queue_config.max_samples_per_send = 10;
  cfg.queue_config.capacity = 30;
  cfg.queue.max_bytes = 4096;
  RemoteWriteExporter e(fake.host(), cfg);
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(1, 10, 0)), STRATA_OK);
  ASSERT_TRUE(sink.waitRequests(1, 10s));  // samples 0..9 are in flight, retried
  constexpr int kBatches = 100;
  for (int b = 1; b < kBatches; ++b) ASSERT_EQ(e.consume(makeBatch(1, 10, b * 10)), STRATA_OK);
  EXPECT_LE(e.queueStats().leased, 30u);
  double dropped = fake.metric("strata_remote_write_samples_dropped_total", "reason=queue_full");
  ASSERT_GT(dropped, 30) << "the bound must reach past the read-ahead requests";
  ASSERT_TRUE(eventually([&] { return e.queueStats().entries == 0; }, 30s));
  EXPECT_EQ(e.queueStats().leased, 0u);
  e.stop();
  auto got = sink.accepted();
  EXPECT_EQ(static_cast<double>(got.size()), kBatches * 10 - dropped) << "each sample once";
  ASSERT_GT(got.size(), 20u);
  // The request in flight, then a gap (the oldest, read ahead ones included, were dropped),
  // then the newest samples without a gap.
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(got[i].ts, static_cast<int64_t>(i));
  EXPECT_GT(got[10].ts, 39) << "requests read ahead during the outage were dropped";
  for (size_t i = 11; i < got.size(); ++i) EXPECT_EQ(got[i].ts, got[i - 1].ts + 1);
  EXPECT_EQ(got.back().ts, kBatches * 10 - 1);
}

}  // namespace
}  // namespace strata::rwexporter
