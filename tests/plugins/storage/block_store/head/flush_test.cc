// Sealing the whole head on demand (flushHead, the debug route's POST /api/v1/strata/flush and
// seal_head_on_stop): every sample ends up in blocks exactly once, the head and the WAL's
// sample records are emptied, newer samples are still accepted, and a restart serves the same.
#include "store_test_util.h"

namespace strata::block_store::testing {
namespace {

namespace fs = std::filesystem;

size_t countBlocks(const std::string& dir) {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename() == "meta.json") ++n;
  return n;
}

void ingest(BlockStore& store, int series, int64_t from, int64_t to) {
  for (int s = 0; s < series; ++s) {
    std::vector<Sample> samples;
    for (int64_t t = from; t < to; t += 15'000) samples.emplace_back(t, s + t / 1000.0);
    Labels l{{"__name__", "m"}, {"series", std::to_string(s)}};
    ASSERT_EQ(store.consume(batchOf("t", l, samples)), STRATA_OK);
  }
}

TEST(BlockStoreFlush, SealsEverythingAndKeepsAcceptingNewerSamples) {
  auto dir = tempDir("flush");
  StoreFixture f(dir);
  f.set("block_duration", 3'600'000);
  std::string before;
  {
    auto store = f.open();
    // 1.5 h of data: below the 1.5 x block_duration rule, so nothing is cut on its own.
    ingest(*store, 20, 0, 5'400'000);
    EXPECT_EQ(countBlocks(dir), 0u);
    before = dumpLines(*store, "t");
    EXPECT_EQ(store->flushHead(), 2u);  // [0, 1h) and [1h, newest + 1ms)
    EXPECT_EQ(countBlocks(dir), 2u);
    auto db = store->tenant("t", false);
    EXPECT_EQ(db->head.minTime(), std::numeric_limits<int64_t>::max());
    EXPECT_EQ(db->head.numSeries(), 0u);  // head GC: no series without data is kept
    EXPECT_EQ(dumpLines(*store, "t"), before);
    // Older than the newest flushed sample: refused; newer: accepted.
    Labels l{{"__name__", "m"}, {"series", "0"}};
    EXPECT_EQ(store->consume(batchOf("t", l, {{5'000'000, 1}})), STRATA_REJECT);
    EXPECT_EQ(store->consume(batchOf("t", l, {{5'400'000, 7}})), STRATA_OK);
    before += "m{series=\"0\"} 7 5400000\n";
    EXPECT_EQ(db->head.numSeries(), 1u);  // the same labels again: a new series (new ref)
    store->stop();
  }
  auto store = f.open();
  // The WAL kept only the one live series and its sample.
  EXPECT_EQ(store->tenant("t", false)->head.numSeries(), 1u);
  std::string after = dumpLines(*store, "t");
  // Lines of one series come out together: compare as sorted multisets.
  auto sorted = [](const std::string& s) {
    std::vector<std::string> lines;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  EXPECT_EQ(sorted(after), sorted(before));
  EXPECT_EQ(sorted(after).size(), 20u * 360 + 1);
  store->stop();
  fs::remove_all(dir);
}

TEST(BlockStoreFlush, SealHeadOnStopLeavesOnlyBlocksAndAnEmptyLog) {
  auto dir = tempDir("sealstop");
  StoreFixture f(dir);
  f.set("seal_head_on_stop", 1);
  std::string before;
  {
    auto store = f.open();
    ingest(*store, 10, 1'000'000, 2'000'000);
    before = dumpLines(*store, "t");
    store->stop();
  }
  EXPECT_EQ(countBlocks(dir), 1u);
  auto store = f.open();
  EXPECT_EQ(store->tenant("t", false)->head.minTime(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(dumpLines(*store, "t"), before);
  store->stop();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace strata::block_store::testing
