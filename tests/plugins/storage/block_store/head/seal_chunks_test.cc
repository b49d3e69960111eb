// Chunks of sealed blocks: the head's 120-sample chunks of a series are re-encoded into chunks
// of up to block_chunk_max_samples (default 240) when its block is written, with every sample
// read back exactly; 120 keeps the head's layout, out-of-order data is merged in as before.
#include "store_test_util.h"

namespace strata::block_store::testing {
namespace {

namespace fs = std::filesystem;

// Samples per chunk of every series in the tenant's blocks.
std::vector<size_t> chunkSizes(BlockStore& store, const std::string& tenant) {
  std::vector<size_t> out;
  for (const auto& b : store.tenant(tenant, false)->blocks.snapshot()) {
    for (uint64_t ref : b->reader->postings("", "")) {
      std::vector<tsdb::ChunkRef> chunks;
      EXPECT_TRUE(b->reader->series(ref, nullptr, &chunks));
      for (const auto& c : chunks) {
        const uint8_t* d;
        size_t n;
        EXPECT_TRUE(b->reader->chunk(c.ref, &d, &n));
        out.push_back(tsdb::XorIterator(d, n).numSamples());
      }
    }
  }
  return out;
}

struct Sealed {
  std::vector<size_t> chunk_sizes;
  uint64_t num_chunks = 0;
  bool same_samples = false;
};

// 10 series x 240 samples at 15 s (two head chunks each), sealed with flushHead().
// max_samples 0: the option's default.
Sealed sealWith(int64_t max_samples) {
  auto dir = tempDir("sealchunks");
  StoreFixture f(dir);
  if (max_samples) f.set("block_chunk_max_samples", max_samples);
  Sealed r;
  {
    auto store = f.open();
    for (int s = 0; s < 10; ++s) {
      std::vector<Sample> samples;
      for (int i = 0; i < 240; ++i) samples.emplace_back(i * 15'000, s * 100 + i * 0.5);
      Labels l{{"__name__", "m"}, {"series", std::to_string(s)}};
      EXPECT_EQ(store->consume(batchOf("t", l, samples)), STRATA_OK);
    }
    std::string before = dumpLines(*store, "t");
    EXPECT_EQ(store->flushHead(), 1u);
    EXPECT_EQ(store->tenant("t", false)->head.numSeries(), 0u);
    r.chunk_sizes = chunkSizes(*store, "t");
    r.num_chunks = store->tenant("t", false)->blocks.snapshot().at(0)->reader->meta().num_chunks;
    r.same_samples = dumpLines(*store, "t") == before && !before.empty();
    store->stop();
    auto again = f.open();  // and from disk
    r.same_samples = r.same_samples && dumpLines(*again, "t") == before;
    again->stop();
  }
  fs::remove_all(dir);
  return r;
}

TEST(BlockChunks, DefaultMergesTwoHeadChunksIntoOne) {
  Sealed r = sealWith(0);
  EXPECT_EQ(r.num_chunks, 10u);
  EXPECT_EQ(r.chunk_sizes, std::vector<size_t>(10, 240));
  EXPECT_TRUE(r.same_samples);
}

TEST(BlockChunks, OneHundredTwentyKeepsTheHeadLayout) {
  Sealed r = sealWith(120);
  EXPECT_EQ(r.num_chunks, 20u);
  EXPECT_EQ(r.chunk_sizes, std::vector<size_t>(20, 120));
  EXPECT_TRUE(r.same_samples);
}

TEST(BlockChunks, OutOfOrderSamplesAreMergedIntoLargeChunks) {
  auto dir = tempDir("sealooo");
  StoreFixture f(dir);
  f.set("out_of_order_time_window", 3'600'000);
  auto store = f.open();
  Labels l{{"__name__", "m"}};
  std::vector<Sample> even, odd;
  for (int i = 0; i < 500; ++i) (i % 2 ? odd : even).emplace_back(i * 5'000, i * 1.25);
  ASSERT_EQ(store->consume(batchOf("t", l, even)), STRATA_OK);
  ASSERT_EQ(store->consume(batchOf("t", l, odd)), STRATA_OK);  // all out of order
  std::string before = dumpLines(*store, "t");
  ASSERT_EQ(std::count(before.begin(), before.end(), '\n'), 500);
  EXPECT_EQ(store->flushHead(), 1u);
  EXPECT_EQ(chunkSizes(*store, "t"), (std::vector<size_t>{167, 167, 166}));
  EXPECT_EQ(dumpLines(*store, "t"), before);
  store->stop();
  fs::remove_all(dir);
}

TEST(BlockChunks, OptionIsChecked) {
  for (int64_t bad : {0, 65536, -1}) {
    strata::testing::TestConfig c;
    c.set("block_chunk_max_samples", bad);
    EXPECT_THROW(StoreOptions::parse(c.view()), std::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace strata::block_store::testing
