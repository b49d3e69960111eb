// The component end to end on a temp dir: REJECT semantics, WAL replay exactness, group
// commit, blocks, retention, the Queryable's C ABI.
#include <algorithm>
#include <thread>

#include "store_test_util.h"

namespace strata::block_store::testing {
namespace {

namespace fs = std::filesystem;

TEST(BlockStore, RejectsOnlyWhenEveryNewSampleIsBad) {
  auto dir = tempDir("reject");
  StoreFixture f(dir);
  auto store = f.open();
  Labels l{{"__name__", "m"}, {"job", "a"}};
  EXPECT_EQ(store->consume(batchOf("t", l, {{1000, 1}, {2000, 2}})), STRATA_OK);
  // One good, one out of order: accepted, the bad one counted.
  EXPECT_EQ(store->consume(batchOf("t", l, {{1500, 1}, {3000, 3}})), STRATA_OK);
  EXPECT_EQ(f.fake.metric("strata_block_store_samples_rejected_total", "reason=out_of_order"), 1);
  // Only bad samples: REJECT with an explanation.
  EXPECT_EQ(store->consume(batchOf("t", l, {{500, 1}, {3000, 9}})), STRATA_REJECT);
  EXPECT_NE(f.fake.lastError().find("out of order"), std::string::npos) << f.fake.lastError();
  EXPECT_EQ(f.fake.metric("strata_block_store_samples_rejected_total", "reason=duplicate"), 1);
  // A resend of acknowledged samples is OK (Prometheus ignores identical duplicates).
  EXPECT_EQ(store->consume(batchOf("t", l, {{2000, 2}, {3000, 3}})), STRATA_OK);
  EXPECT_EQ(f.fake.metric("strata_block_store_samples_appended_total"), 3);
  store->stop();
  fs::remove_all(dir);
}

TEST(BlockStore, WalReplayIsExact) {
  auto dir = tempDir("replay");
  std::string before;
  {
    StoreFixture f(dir);
    f.set("out_of_order_time_window", 60'000);
    auto store = f.open();
    for (int s = 0; s < 20; ++s) {
      Labels l{{"__name__", "m"}, {"series", std::to_string(s)}};
      for (int b = 0; b < 10; ++b) {
        std::vector<Sample> samples;
        for (int k = 0; k < 30; ++k) samples.emplace_back(100'000 + b * 3000 + k * 100, s * k);
        ASSERT_EQ(store->consume(batchOf(s % 2 ? "t1" : "t2", l, samples)), STRATA_OK);
      }
      // Out of order within the window, and a duplicate resend.
      ASSERT_EQ(store->consume(batchOf(s % 2 ? "t1" : "t2", l, {{100'050, -1}, {100'000, 0}})),
                STRATA_OK);
    }
    before = dumpLines(*store, "t1") + dumpLines(*store, "t2");
    // No stop(): the destructor-free path is what a crash looks like to RocksDB's log.
    store->stop();
  }
  StoreFixture f2(dir);
  f2.set("out_of_order_time_window", 60'000);
  auto store = f2.open();
  std::string after = dumpLines(*store, "t1") + dumpLines(*store, "t2");
  EXPECT_EQ(std::count(before.begin(), before.end(), '\n'), 20 * 301);
  EXPECT_EQ(after, before);
  // A second restart is still exact (replay does not write anything twice).
  store->stop();
  store.reset();
  auto again = f2.open();
  EXPECT_EQ(dumpLines(*again, "t1") + dumpLines(*again, "t2"), before);
  again->stop();
  fs::remove_all(dir);
}

TEST(BlockStore, SyncAlwaysSharesFsyncsAcrossConcurrentWriters) {
  auto dir = tempDir("group");
  StoreFixture f(dir, {{"wal_sync", "always"}});
  auto store = f.open();
  const int threads = 8, per_thread = 50;
  std::vector<std::thread> ts;
  for (int i = 0; i < threads; ++i)
    ts.emplace_back([&, i] {
      Labels l{{"__name__", "m"}, {"writer", std::to_string(i)}};
      for (int k = 0; k < per_thread; ++k)
        EXPECT_EQ(store->consume(batchOf("t", l, {{1000 + k, double(k)}})), STRATA_OK);
    });
  for (auto& t : ts) t.join();
  uint64_t syncs = store->walFileSyncs();
  EXPECT_GE(syncs, 1u);
  EXPECT_LE(syncs, uint64_t{threads * per_thread});
  std::printf("wal fsyncs for %d synced writes from %d threads: %llu\n", threads * per_thread,
              threads, static_cast<unsigned long long>(syncs));
  std::string lines = dumpLines(*store, "t");
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), threads * per_thread);
  store->stop();
  fs::remove_all(dir);
}

TEST(BlockStore, CutsBlocksAndServesThemAfterRestart) {
  auto dir = tempDir("blocks");
  const int64_t bd = 120'000;  // 2m blocks
  std::string all;
  std::string block_dir;
  {
    StoreFixture f(dir);
    f.config.set("external_labels", std::map<std::string, std::string>{{"cluster", "c1"}});
    f.set("block_duration", bd);
    auto store = f.open();
    // One batch: the background cutter may run between batches, and a block already cut
    // makes older samples "too old", as in Prometheus.
    sdk::BatchBuilder b("acme");
    for (int s = 0; s < 5; ++s) {
      b.beginSeries({{"__name__", "m"}, {"s", std::to_string(s)}});
      for (int64_t t = 0; t < 10 * 60'000; t += 15'000) b.addSample(t, t / 1000.0 + s);
    }
    ASSERT_EQ(store->consume(b.finish()), STRATA_OK);
    all = dumpLines(*store, "acme");
    // 10m of data, 2m blocks: blocks are due while the head spans more than 3m.
    // (The background cutter may have written some already; cutBlocks() waits for it.)
    store->cutBlocks();
    EXPECT_EQ(dumpLines(*store, "acme"), all);
    auto db = store->tenant("acme", false);
    ASSERT_TRUE(db);
    auto blocks = db->blocks.snapshot();
    ASSERT_EQ(blocks.size(), 4u);
    EXPECT_EQ(blocks[0]->reader->meta().min_time, 0);
    EXPECT_EQ(blocks[0]->reader->meta().max_time, bd);
    EXPECT_EQ(blocks[0]->reader->meta().thanos_labels.at("tenant_id"), "acme");
    EXPECT_EQ(blocks[0]->reader->meta().thanos_labels.at("cluster"), "c1");
    EXPECT_EQ(blocks[0]->reader->meta().thanos_source, "receive");
    EXPECT_EQ(blocks[0]->reader->meta().num_samples, 5u * 8);
    block_dir = blocks[0]->dir;
    EXPECT_EQ(fs::path(block_dir).parent_path(), fs::path(dir) / "acme");
    // Too old for the head now.
    EXPECT_EQ(store->consume(batchOf("acme", {{"__name__", "m"}, {"s", "9"}}, {{1000, 1}})),
              STRATA_REJECT);
    store->stop();
  }
  // A leftover half-written block is removed at start.
  fs::create_directories(fs::path(dir) / "acme" / "01HALFWRITTEN00000000000000.tmp");
  StoreFixture f2(dir);
  f2.set("block_duration", bd);
  auto store = f2.open();
  EXPECT_EQ(dumpLines(*store, "acme"), all);
  EXPECT_FALSE(fs::exists(fs::path(dir) / "acme" / "01HALFWRITTEN00000000000000.tmp"));
  // Time filter across block and head.
  std::vector<Matcher> ms;
  ms.emplace_back(STRATA_MATCH_EQ, "s", "2");
  std::string part = dumpLines(*store, "acme", ms, 100'000, 250'000);
  EXPECT_EQ(std::count(part.begin(), part.end(), '\n'), 10);  // 105000..240000 step 15000
  store->stop();
  fs::remove_all(dir);
}

TEST(BlockStore, RetentionWaitsForReaders) {
  auto dir = tempDir("retention");
  StoreFixture f(dir);
  f.set("block_duration", 60'000);
  f.set("retention_time", 150'000);
  auto store = f.open();
  Labels l{{"__name__", "m"}};
  auto ingest = [&](int64_t from, int64_t to) {
    std::vector<Sample> samples;
    for (int64_t t = from; t < to; t += 10'000) samples.emplace_back(t, 1);
    ASSERT_EQ(store->consume(batchOf("t", l, samples)), STRATA_OK);
  };
  ingest(0, 200'000);
  store->cutBlocks();
  auto db = store->tenant("t", false);
  auto blocks = db->blocks.snapshot();  // a reader holding the oldest block
  ASSERT_EQ(blocks.size(), 2u);
  std::string first = blocks[0]->dir, second = blocks[1]->dir;
  blocks.pop_back();
  ingest(200'000, 300'000);
  store->cutBlocks();  // two more blocks; retention drops the two oldest (end <= 140s)
  EXPECT_EQ(db->blocks.snapshot().size(), 2u);
  EXPECT_EQ(db->blocks.snapshot().front()->reader->meta().min_time, 120'000);
  EXPECT_TRUE(fs::exists(first));  // still read
  EXPECT_FALSE(fs::exists(second));
  blocks.clear();
  EXPECT_FALSE(fs::exists(first));
  EXPECT_EQ(f.fake.metric("strata_block_store_blocks_deleted_total"), 2);
  store->stop();
  fs::remove_all(dir);
}

TEST(BlockStore, LabelsOfBlocksAndHeadHonourTheTimeRange) {
  auto dir = tempDir("labelrange");
  StoreFixture f(dir);
  f.set("block_duration", 60'000);
  auto store = f.open();
  sdk::BatchBuilder b("t");
  b.beginSeries({{"__name__", "m"}, {"job", "old"}});
  for (int64_t t = 0; t < 50'000; t += 10'000) b.addSample(t, 1);
  b.beginSeries({{"__name__", "m"}, {"job", "new"}});
  for (int64_t t = 0; t <= 300'000; t += 10'000) b.addSample(t, 2);
  b.beginSeries({{"__name__", "m"}, {"job", "head"}, {"only", "x"}});
  b.addSample(290'000, 3);
  ASSERT_EQ(store->consume(b.finish()), STRATA_OK);
  store->cutBlocks();  // blocks [0, 60 s) ... [180 s, 240 s); the head keeps 240 s ..
  ASSERT_EQ(store->tenant("t", false)->blocks.snapshot().size(), 4u);
  using V = std::vector<std::string>;
  EXPECT_EQ(store->labelValues("t", "job", {}, 0, 400'000), (V{"head", "new", "old"}));
  EXPECT_EQ(store->labelValues("t", "job", {}, 0, 10'000), (V{"new", "old"}));
  EXPECT_EQ(store->labelValues("t", "job", {}, 60'000, 250'000), V{"new"});
  EXPECT_EQ(store->labelValues("t", "job", {}, 295'000, 400'000), V{"new"});
  EXPECT_EQ(store->labelNames("t", {}, 60'000, 250'000), (V{"__name__", "job"}));
  EXPECT_EQ(store->labelNames("t", {}, 250'000, 290'000), (V{"__name__", "job", "only"}));
  std::vector<Matcher> ms;
  ms.emplace_back(STRATA_MATCH_EQ, "__name__", "m");
  EXPECT_EQ(store->labelValues("t", "job", ms, 70'000, 130'000), V{"new"});
  EXPECT_EQ(store->labelNames("t", ms, 500'000, 600'000), V{});
  store->stop();
  fs::remove_all(dir);
}

TEST(BlockStore, LastMillisecondOfABlockIsKept) {
  auto dir = tempDir("edge");
  StoreFixture f(dir);
  f.set("block_duration", 1000);
  auto store = f.open();
  sdk::BatchBuilder b("t");
  b.beginSeries({{"__name__", "m"}});
  for (int64_t t = 0; t < 5000; t += 250) b.addSample(t, double(t));
  b.addSample(5999, 1);
  ASSERT_EQ(store->consume(b.finish()), STRATA_OK);
  std::string all = dumpLines(*store, "t");
  b.beginSeries({{"__name__", "m"}});
  for (int64_t t = 6999; t < 10000; t += 1000) b.addSample(t, double(t));
  ASSERT_EQ(store->consume(b.finish()), STRATA_OK);
  all = dumpLines(*store, "t");
  store->cutBlocks();
  EXPECT_GE(store->tenant("t", false)->blocks.snapshot().size(), 5u);
  EXPECT_EQ(dumpLines(*store, "t"), all);
  store->stop();
  store.reset();
  auto again = f.open();
  EXPECT_EQ(dumpLines(*again, "t"), all);
  again->stop();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace strata::block_store::testing
