// The block store under series churn, end to end: block cuts remove the churned series and
// rebuild the head's symbol table (metrics say so), and a restart replays the WAL into the
// same data, before and after further churn.
#include <gtest/gtest.h>

#include "store_test_util.h"

namespace strata::block_store::testing {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kBlock = 60'000;

// Cycle c: 10 stable series and 100 that exist only in this cycle (a rollout's pods).
strata_metrics_batch* cycleBatch(int c) {
  sdk::BatchBuilder b("k8s");
  auto add = [&](const Labels& labels) {
    b.beginSeries(labels);
    for (int i = 0; i < 3; ++i) b.addSample(c * kBlock + i * 15'000, c + i * 0.5);
  };
  for (int k = 0; k < 10; ++k) add({{"__name__", "up"}, {"instance", "node-" + std::to_string(k)}});
  for (int k = 0; k < 100; ++k)
    add({{"__name__", "cpu"},
         {"pod", "web-" + std::to_string(c) + "-" + std::to_string(k)},
         {"uid", std::to_string(c * 1'000'003 + k)}});
  return b.finish();
}

struct HeadView {
  size_t series, symbols;
  std::vector<std::string> pods, names;
  std::string lines;
  bool operator==(const HeadView&) const = default;
};

HeadView viewOf(const BlockStore& store, Head& head) {
  return {head.numSeries(), head.numSymbols(), head.labelValues("pod", {}, INT64_MIN, INT64_MAX),
          head.labelNames({}, INT64_MIN, INT64_MAX), dumpLines(store, "k8s")};
}

TEST(BlockStoreChurn, RebuildsSymbolsAndReplaysTheSameData) {
  auto dir = tempDir("churn");
  HeadView before;
  {
    StoreFixture f(dir);
    f.set("block_duration", kBlock);
    auto store = f.open();
    for (int c = 0; c < 12; ++c) {
      ASSERT_EQ(store->consume(cycleBatch(c)), STRATA_OK) << f.fake.lastError();
      store->cutBlocks();
    }
    auto db = store->tenant("k8s", false);
    ASSERT_TRUE(db);
    // The head holds the last cycle or two; the symbols of the ten or so cycles before are gone.
    EXPECT_LE(db->head.numSeries(), 220u);
    // Live: 4 names, 2 metric names, 10 instances, a pod and a uid per churned series; at
    // most a quarter more are dead after a cut.
    EXPECT_LE(db->head.numSymbols() * 3, (4 + 2 + 10 + 2 * 200) * 4);
    EXPECT_GE(f.fake.metric("strata_block_store_head_symbol_rebuilds_total"), 5);
    EXPECT_EQ(f.fake.metric("strata_block_store_head_symbols"), double(db->head.numSymbols()));
    EXPECT_EQ(f.fake.metric("strata_block_store_head_series"), double(db->head.numSeries()));
    before = viewOf(*store, db->head);
    EXPECT_EQ(std::count(before.lines.begin(), before.lines.end(), '\n'), 12 * 110 * 3);
    store->stop();
  }
  StoreFixture f2(dir);
  f2.set("block_duration", kBlock);
  {
    auto store = f2.open();
    auto db = store->tenant("k8s", false);
    ASSERT_TRUE(db);
    HeadView after = viewOf(*store, db->head);
    // The replayed head has no dead symbols: it may be smaller, never different.
    EXPECT_LE(after.symbols, before.symbols);
    after.symbols = before.symbols;
    EXPECT_EQ(after, before);
    EXPECT_EQ(f2.fake.metric("strata_block_store_head_symbols"), double(db->head.numSymbols()));
    // More churn after the restart: new series get refs after the replayed ones.
    for (int c = 12; c < 16; ++c) {
      ASSERT_EQ(store->consume(cycleBatch(c)), STRATA_OK) << f2.fake.lastError();
      store->cutBlocks();
    }
    before = viewOf(*store, db->head);
    EXPECT_EQ(std::count(before.lines.begin(), before.lines.end(), '\n'), 16 * 110 * 3);
    store->stop();
  }
  StoreFixture f3(dir);
  f3.set("block_duration", kBlock);
  auto store = f3.open();
  auto db = store->tenant("k8s", false);
  HeadView again = viewOf(*store, db->head);
  EXPECT_LE(again.symbols, before.symbols);
  again.symbols = before.symbols;
  EXPECT_EQ(again, before);
  store->stop();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace strata::block_store::testing
