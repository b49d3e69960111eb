// queue_config.capacity: a shard reads requests from the durable queue ahead of the one it is
// sending, up to `capacity` samples, and no further; what it read ahead still arrives once and
// in order.
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

}  // namespace
}  // namespace strata::rwexporter
