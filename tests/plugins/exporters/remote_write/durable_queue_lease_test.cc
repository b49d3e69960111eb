// DurableQueue's read-ahead leases: several in-order leases per shard up to shard_capacity
// samples (one always fits), read-ahead entries dropped by the byte bound like queued ones,
// startSend() shrinking or skipping a lease that lost entries (and reading the payload of a
// lease taken with PayloadRead::kAtSend), giveBack() newest first.
#include <gtest/gtest.h>

#include <future>

#include "durable_queue.h"
#include "test_util.h"

namespace strata::rwexporter {
namespace {

using testing::freshDir;
using namespace std::chrono_literals;

NewEntry entry(uint32_t shard, const std::string& payload, uint32_t samples = 1) {
  return {shard, samples, 1000, 2000 + samples, payload};
}

strata_status put(DurableQueue& q, NewEntry e, AppendResult* r = nullptr) {
  AppendResult local;
  std::string error;
  std::vector<NewEntry> v;
  v.push_back(std::move(e));
  return q.append(std::move(v), r ? r : &local, &error);
}

// The logical size of one entry with a one-byte payload.
uint64_t oneEntryBytes() {
  DurableQueue probe({freshDir("probe"), 1 << 20, false, 1});
  EXPECT_EQ(put(probe, entry(0, "p")), STRATA_OK);
  return probe.stats().bytes;
}

TEST(DurableQueueLeaseTest, LeasesAheadInOrderUpToShardCapacity) {
  DurableQueue q({freshDir(), 1 << 20, false, 1, 6});
  for (char c : std::string("abcde")) ASSERT_EQ(put(q, entry(0, std::string(1, c), 2)), STRATA_OK);
  Lease a, b, c;
  ASSERT_TRUE(q.take(0, 2, 0ms, &a));
  ASSERT_TRUE(q.take(0, 2, 0ms, &b));
  ASSERT_TRUE(q.take(0, 2, 0ms, &c));
  EXPECT_EQ(a.payload + b.payload + c.payload, "abc");
  EXPECT_EQ(q.stats().leased, 6u);
  auto fourth = std::async(std::launch::async, [&] {
    Lease d;
    return q.take(0, 2, 0ms, &d) ? d.payload : std::string("closed");
  });
  EXPECT_EQ(fourth.wait_for(100ms), std::future_status::timeout) << "capacity is full";
  ASSERT_TRUE(q.startSend(&a));
  q.complete(a);
  EXPECT_EQ(fourth.get(), "d");
  EXPECT_EQ(q.stats().leased, 6u);
}

TEST(DurableQueueLeaseTest, OneLeaseAlwaysFits) {
  DurableQueue q({freshDir(), 1 << 20, false, 1, 1});
  ASSERT_EQ(put(q, entry(0, "big", 5)), STRATA_OK);
  Lease a;
  ASSERT_TRUE(q.take(0, 10, 0ms, &a));
  EXPECT_EQ(a.samples, 5u);
}

TEST(DurableQueueLeaseTest, ByteBoundDropsReadAheadEntriesAndStartSendShrinksTheLease) {
  uint64_t one = oneEntryBytes();
  DurableQueue q({freshDir(), 3 * one, false, 1, 100});
  for (char c : std::string("123")) ASSERT_EQ(put(q, entry(0, std::string(1, c))), STRATA_OK);
  Lease sending, ahead;
  ASSERT_TRUE(q.take(0, 1, 0ms, &sending));
  ASSERT_TRUE(q.startSend(&sending));  // "1" in flight
  ASSERT_TRUE(q.take(0, 2, 0ms, &ahead));
  ASSERT_EQ(ahead.payload, "23");
  AppendResult r;
  ASSERT_EQ(put(q, entry(0, "4"), &r), STRATA_OK);
  EXPECT_EQ(r.dropped_entries, 1u) << "the oldest entry not in flight: 2, read ahead";
  EXPECT_EQ(q.stats().leased, 2u);
  q.complete(sending);
  ASSERT_TRUE(q.startSend(&ahead));
  EXPECT_EQ(ahead.payload, "3") << "re-read without the dropped entry";
  EXPECT_EQ(ahead.samples, 1u);
  EXPECT_EQ(ahead.seqs.size(), 1u);
  q.complete(ahead);
  Lease next;
  ASSERT_TRUE(q.take(0, 10, 0ms, &next));
  EXPECT_EQ(next.payload, "4") << "nothing sent twice, nothing else lost";
}

TEST(DurableQueueLeaseTest, StartSendSkipsALeaseWhoseEntriesWereAllDropped) {
  uint64_t one = oneEntryBytes();
  DurableQueue q({freshDir(), 2 * one, false, 1, 100});
  ASSERT_EQ(put(q, entry(0, "1")), STRATA_OK);
  ASSERT_EQ(put(q, entry(0, "2")), STRATA_OK);
  Lease a, b;
  ASSERT_TRUE(q.take(0, 1, 0ms, &a));
  ASSERT_TRUE(q.take(0, 1, 0ms, &b));
  AppendResult r;
  ASSERT_EQ(put(q, entry(0, "3"), &r), STRATA_OK);
  ASSERT_EQ(put(q, entry(0, "4"), &r), STRATA_OK);
  EXPECT_FALSE(q.startSend(&a)) << "entry 1 was dropped while read ahead";
  EXPECT_FALSE(q.startSend(&b));
  EXPECT_EQ(q.stats().leased, 0u);
  Lease c;
  ASSERT_TRUE(q.take(0, 10, 0ms, &c));
  EXPECT_EQ(c.payload, "34");
}

TEST(DurableQueueLeaseTest, PayloadReadAtSendIsReadOnlyByStartSend) {
  uint64_t one = oneEntryBytes();
  DurableQueue q({freshDir(), 3 * one, false, 1, 100});
  for (char c : std::string("123")) ASSERT_EQ(put(q, entry(0, std::string(1, c))), STRATA_OK);
  Lease first, ahead;
  ASSERT_TRUE(q.take(0, 1, 0ms, &first, PayloadRead::kAtSend));
  ASSERT_TRUE(q.take(0, 2, 0ms, &ahead, PayloadRead::kAtSend));
  EXPECT_EQ(first.payload + ahead.payload, "") << "only entry numbers are held ahead";
  EXPECT_EQ(ahead.samples, 2u);
  ASSERT_TRUE(q.startSend(&first));
  EXPECT_EQ(first.payload, "1");
  AppendResult r;
  ASSERT_EQ(put(q, entry(0, "4"), &r), STRATA_OK);
  EXPECT_EQ(r.dropped_entries, 1u) << "entry 2, read ahead, not in flight";
  q.complete(first);
  ASSERT_TRUE(q.startSend(&ahead));
  EXPECT_EQ(ahead.payload, "3") << "what is left of the lease, read when it is sent";
  EXPECT_EQ(ahead.samples, 1u);
}

TEST(DurableQueueLeaseTest, GiveBackNewestFirstRequeuesInOrder) {
  DurableQueue q({freshDir(), 1 << 20, false, 1, 100});
  for (char c : std::string("abc")) ASSERT_EQ(put(q, entry(0, std::string(1, c))), STRATA_OK);
  Lease a, b;
  ASSERT_TRUE(q.take(0, 1, 0ms, &a));
  ASSERT_TRUE(q.startSend(&a));
  ASSERT_TRUE(q.take(0, 1, 0ms, &b));
  q.giveBack(b);
  q.giveBack(a);
  EXPECT_EQ(q.stats().leased, 0u);
  Lease all;
  ASSERT_TRUE(q.take(0, 10, 0ms, &all));
  EXPECT_EQ(all.payload, "abc");
}

}  // namespace
}  // namespace strata::rwexporter
