// DurableQueue: append/take/complete, the byte bound (drop oldest, never one in flight),
// reopening a directory, and the shard-count change barrier.
#include "durable_queue.h"

#include <gtest/gtest.h>

#include <future>

#include "test_util.h"

namespace strata::rwexporter {
namespace {

using testing::freshDir;
using namespace std::chrono_literals;

NewEntry entry(uint32_t shard, const std::string& payload, uint32_t samples = 1) {
  return {shard, samples, 1000, 2000, payload};
}

strata_status put(DurableQueue& q, NewEntry e, AppendResult* r = nullptr) {
  AppendResult local;
  std::string error;
  std::vector<NewEntry> v;
  v.push_back(std::move(e));
  return q.append(std::move(v), r ? r : &local, &error);
}

TEST(DurableQueueTest, TakesInOrderAndDeletesOnComplete) {
  DurableQueue q({freshDir(), 1 << 20, false, 1});
  ASSERT_EQ(put(q, entry(0, "aa", 2)), STRATA_OK);
  ASSERT_EQ(put(q, entry(0, "bbb", 3)), STRATA_OK);
  EXPECT_EQ(q.stats().entries, 2u);
  EXPECT_EQ(q.stats().samples, 5u);
  Lease lease;
  ASSERT_TRUE(q.take(0, 100, 0ms, &lease));
  EXPECT_EQ(lease.payload, "aabbb");
  EXPECT_EQ(lease.samples, 5u);
  q.complete(lease);
  EXPECT_EQ(q.stats().entries, 0u);
  EXPECT_EQ(q.stats().bytes, 0u);
}

TEST(DurableQueueTest, LeaseStopsAtMaxSamples) {
  DurableQueue q({freshDir(), 1 << 20, false, 1});
  for (int i = 0; i < 3; ++i) ASSERT_EQ(put(q, entry(0, std::to_string(i), 4)), STRATA_OK);
  Lease lease;
  ASSERT_TRUE(q.take(0, 8, 1h, &lease));  // full: returns without waiting for the deadline
  EXPECT_EQ(lease.payload, "01");
  q.complete(lease);
  ASSERT_TRUE(q.take(0, 8, 0ms, &lease));
  EXPECT_EQ(lease.payload, "2");
}

TEST(DurableQueueTest, DropsOldestWhenFullAndCountsIt) {
  std::string payload(100, 'x');
  // Measure one entry's stored size, then allow exactly three.
  uint64_t one;
  {
    DurableQueue probe({freshDir("probe"), 1 << 20, false, 1});
    ASSERT_EQ(put(probe, entry(0, payload, 10)), STRATA_OK);
    one = probe.stats().bytes;
  }
  DurableQueue q({freshDir(), 3 * one, false, 1});
  uint64_t dropped = 0;
  for (int i = 0; i < 5; ++i) {
    AppendResult r;
    ASSERT_EQ(put(q, entry(0, std::string(100, static_cast<char>('a' + i)), 10), &r), STRATA_OK);
    dropped += r.dropped_samples;
  }
  EXPECT_EQ(dropped, 20u);
  EXPECT_EQ(q.stats().entries, 3u);
  EXPECT_LE(q.stats().bytes, 3 * one);
  Lease lease;
  ASSERT_TRUE(q.take(0, 10, 0ms, &lease));
  EXPECT_EQ(lease.payload, std::string(100, 'c')) << "the two oldest went first";
}

TEST(DurableQueueTest, NeverDropsAnEntryInFlight) {
  uint64_t one;
  {
    DurableQueue probe({freshDir("probe"), 1 << 20, false, 1});
    ASSERT_EQ(put(probe, entry(0, "p")), STRATA_OK);
    one = probe.stats().bytes;
  }
  DurableQueue q({freshDir(), 2 * one, false, 1});
  ASSERT_EQ(put(q, entry(0, "1")), STRATA_OK);
  ASSERT_EQ(put(q, entry(0, "2")), STRATA_OK);
  Lease lease;
  ASSERT_TRUE(q.take(0, 1, 0ms, &lease));
  ASSERT_EQ(lease.payload, "1");
  ASSERT_TRUE(q.startSend(&lease));
  AppendResult r;
  ASSERT_EQ(put(q, entry(0, "3"), &r), STRATA_OK);
  EXPECT_EQ(r.dropped_entries, 1u);
  q.complete(lease);
  ASSERT_TRUE(q.take(0, 1, 0ms, &lease));
  EXPECT_EQ(lease.payload, "3") << "entry 2 was dropped, not entry 1 in flight";
  // An entry larger than the whole bound is refused outright.
  EXPECT_EQ(put(q, entry(0, std::string(3 * one, 'z'))), STRATA_REJECT);
}

TEST(DurableQueueTest, ReopenResumesWhatWasQueued) {
  auto dir = freshDir();
  {
    DurableQueue q({dir, 1 << 20, false, 2});
    ASSERT_EQ(put(q, entry(0, "zero", 1)), STRATA_OK);
    ASSERT_EQ(put(q, entry(1, "one", 2)), STRATA_OK);
    Lease lease;
    ASSERT_TRUE(q.take(1, 10, 0ms, &lease));
    q.giveBack(lease);  // not delivered: stays queued
  }
  DurableQueue q({dir, 1 << 20, false, 2});
  EXPECT_EQ(q.recoveredEntries(), 2u);
  EXPECT_EQ(q.stats().samples, 3u);
  Lease a, b;
  ASSERT_TRUE(q.take(0, 10, 1h, &a));  // recovered entries are due at once
  ASSERT_TRUE(q.take(1, 10, 1h, &b));
  EXPECT_EQ(a.payload, "zero");
  EXPECT_EQ(b.payload, "one");
  ASSERT_EQ(put(q, entry(0, "new")), STRATA_OK);
  q.complete(a);
  Lease c;
  ASSERT_TRUE(q.take(0, 10, 0ms, &c));
  EXPECT_EQ(c.payload, "new") << "keys continue after the recovered ones";
}

TEST(DurableQueueTest, ShardCountChangeSendsOldEntriesFirstThroughShardZero) {
  auto dir = freshDir();
  {
    DurableQueue q({dir, 1 << 20, false, 2});
    ASSERT_EQ(put(q, entry(1, "old1")), STRATA_OK);
    ASSERT_EQ(put(q, entry(0, "old0")), STRATA_OK);
  }
  DurableQueue q({dir, 1 << 20, false, 3});
  ASSERT_EQ(put(q, entry(2, "new2")), STRATA_OK);
  auto later = std::async(std::launch::async, [&] {
    Lease l;
    EXPECT_TRUE(q.take(2, 10, 0ms, &l));
    return l.payload;
  });
  Lease old;
  ASSERT_TRUE(q.take(0, 10, 0ms, &old));
  EXPECT_EQ(old.payload, "old1old0") << "all old entries, in append order, on shard 0";
  EXPECT_EQ(later.wait_for(50ms), std::future_status::timeout) << "shard 2 waits for the old";
  q.complete(old);
  EXPECT_EQ(later.get(), "new2");
}

TEST(DurableQueueTest, ReshardFlushesTheOldGenerationFirst) {
  DurableQueue q({freshDir(), 1 << 20, false, 2});
  ASSERT_EQ(put(q, entry(0, "a0")), STRATA_OK);
  ASSERT_EQ(put(q, entry(1, "a1")), STRATA_OK);
  uint64_t old_gen = q.generation();
  uint64_t gen = q.reshard(3);
  EXPECT_GT(gen, old_gen);
  EXPECT_EQ(q.shardCount(), 3u);
  ASSERT_EQ(put(q, entry(0, "b0")), STRATA_OK);
  ASSERT_EQ(put(q, entry(2, "b2")), STRATA_OK);
  auto later = std::async(std::launch::async, [&] {
    Lease l;
    EXPECT_TRUE(q.take(gen, 0, 10, 0ms, &l));
    return l.payload;
  });
  Lease a0, a1, none;
  // The old generation is flushed: no waiting for the (one hour) send deadline.
  ASSERT_TRUE(q.take(old_gen, 0, 10, 1h, &a0));
  EXPECT_EQ(a0.payload, "a0");
  q.complete(a0);
  EXPECT_FALSE(q.take(old_gen, 0, 10, 1h, &none)) << "its part is sent: the shard finishes";
  EXPECT_EQ(later.wait_for(50ms), std::future_status::timeout) << "new shards wait for the old";
  ASSERT_TRUE(q.take(old_gen, 1, 10, 1h, &a1));
  EXPECT_EQ(a1.payload, "a1");
  q.complete(a1);
  EXPECT_EQ(later.get(), "b0");
  EXPECT_FALSE(q.take(old_gen, 1, 10, 0ms, &none));
}

TEST(DurableQueueTest, ReshardOfAnEmptyQueueStartsAtOnce) {
  DurableQueue q({freshDir(), 1 << 20, false, 1});
  uint64_t old_gen = q.generation();
  uint64_t gen = q.reshard(2);
  Lease l;
  EXPECT_FALSE(q.take(old_gen, 0, 10, 0ms, &l)) << "nothing to flush";
  ASSERT_EQ(put(q, entry(1, "x")), STRATA_OK);
  ASSERT_TRUE(q.take(gen, 1, 10, 0ms, &l));
  EXPECT_EQ(l.payload, "x");
  EXPECT_EQ(put(q, entry(2, "too far")), STRATA_RETRY) << "shard index beyond the count";
}

TEST(DurableQueueTest, CloseWakesTakers) {
  DurableQueue q({freshDir(), 1 << 20, false, 1});
  auto waiter = std::async(std::launch::async, [&] {
    Lease l;
    return q.take(0, 10, 0ms, &l);
  });
  q.close();
  EXPECT_FALSE(waiter.get());
}

}  // namespace
}  // namespace strata::rwexporter
