// The shard count computation (Prometheus 2.42's calculateDesiredShards and shouldReshard) as
// a table, and the EWMA rate behind its inputs. Rates use out = 1024/s and 1 s of sending per
// second, so the time per sample is exactly 2^-10 s and every expected value is exact.
#include "desired_shards.h"

#include <gtest/gtest.h>

#include "ewma_rate.h"

namespace strata::rwexporter {
namespace {

using namespace std::chrono_literals;

struct Row {
  const char* name;
  ShardRates rates;
  uint32_t current, min, max;
  double desired;   // unrounded
  uint32_t shards;  // decision
};

// rates: {in, dropped, out, send_seconds, delay_seconds}
const Row kRows[] = {
    {"nothing sent: nothing to measure", {5000, 0, 0, 0, 0}, 3, 1, 50, 0, 3},
    {"steady at the current count", {3072, 0, 1024, 1, 0}, 3, 1, 50, 3, 3},
    {"scale up", {10240, 0, 1024, 1, 0}, 1, 1, 50, 10, 10},
    {"scale up clamped to max_shards", {102400, 0, 1024, 1, 0}, 1, 1, 50, 100, 50},
    {"scale down", {102.4, 0, 1024, 1, 0}, 10, 1, 50, 0.1, 1},
    {"scale down clamped to min_shards", {102.4, 0, 1024, 1, 0}, 10, 3, 50, 0.1, 3},
    {"upper edge of the tolerance band: stay", {13312, 0, 1024, 1, 0}, 10, 1, 50, 13, 10},
    {"just above the band", {14336, 0, 1024, 1, 0}, 10, 1, 50, 14, 14},
    {"lower edge of the band: stay", {7168, 0, 1024, 1, 0}, 10, 1, 50, 7, 10},
    {"just below the band", {6144, 0, 1024, 1, 0}, 10, 1, 50, 6, 6},
    {"fraction rounds up", {1100, 0, 1024, 1, 0}, 4, 1, 50, 1100.0 / 1024, 2},
    // pending = 20 s * 1024/s; catch up 5% of it per second: (1024 + 1024) / 1024.
    {"backlog term", {1024, 0, 1024, 1, 20}, 1, 1, 50, 2, 2},
    {"no downsharding more than 10 s behind", {1024, 0, 1024, 1, 11}, 10, 1, 50, 1.55, 10},
    {"downsharding at exactly 10 s behind", {1024, 0, 1024, 1, 10}, 10, 1, 50, 1.5, 2},
    {"behind, but upsharding is allowed", {10240, 0, 1024, 1, 30}, 1, 1, 50, 25, 25},
    // Half of what comes in is dropped by relabeling: only the kept half needs sending.
    {"kept ratio", {4096, 1024, 1024, 1, 0}, 1, 1, 50, 2, 2},
    {"min = max pins the count", {102400, 0, 1024, 1, 0}, 4, 4, 4, 100, 4},
};

TEST(DesiredShardsTest, Table) {
  for (const auto& row : kRows) {
    SCOPED_TRACE(row.name);
    auto d = desiredShards(row.rates, row.current, row.min, row.max);
    EXPECT_DOUBLE_EQ(d.desired, row.desired);
    EXPECT_EQ(d.shards, row.shards);
  }
}

TEST(DesiredShardsTest, NoReshardWhileSendsFail) {
  // Within 2 x batch_send_deadline of the last finished send: reshard.
  EXPECT_TRUE(shouldReshard(10, 1, 500ms, 5000ms));
  EXPECT_TRUE(shouldReshard(1, 10, 9s, 5000ms));
  // Nothing finished for longer (the remote end is failing): neither up nor down.
  EXPECT_FALSE(shouldReshard(10, 1, 11s, 5000ms));
  EXPECT_FALSE(shouldReshard(1, 10, 11s, 5000ms));
  // Same count: nothing to do.
  EXPECT_FALSE(shouldReshard(4, 4, 0ms, 5000ms));
  // The window is at least 1 s (Prometheus compares whole seconds).
  EXPECT_TRUE(shouldReshard(2, 1, 900ms, 0ms));
  EXPECT_FALSE(shouldReshard(2, 1, 1500ms, 0ms));
}

TEST(EwmaRateTest, FirstTickIsTheInstantRateThenBlends) {
  EwmaRate r(10s);
  EXPECT_EQ(r.rate(), 0);
  r.add(1000);
  r.tick();
  EXPECT_DOUBLE_EQ(r.rate(), 100);  // 1000 events in 10 s
  r.add(2000);
  r.tick();
  EXPECT_DOUBLE_EQ(r.rate(), 100 + 0.2 * (200 - 100));
  r.tick();  // nothing this interval
  EXPECT_DOUBLE_EQ(r.rate(), 120 + 0.2 * (0 - 120));
}

}  // namespace
}  // namespace strata::rwexporter
