// The streaming select: range merging, answers identical to a materialised merge of the same
// blocks read locally (overlapping blocks, small batches), the per-query bytes limit and the
// concurrency limit.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "bucket/bucket_factory.h"
#include "fake_host.h"
#include "gateway_core.h"
#include "range_merge.h"
#include "test_blocks.h"
#include "tsdb/block/block_reader.h"

namespace strata::store_gateway {
namespace {

namespace fs = std::filesystem;
using namespace testblocks;

TEST(RangeMerge, JoinsRangesCloserThanTheGap) {
  using R = ByteRange;
  EXPECT_TRUE(mergeRanges({}, 16).empty());
  // Unsorted input, an overlap, a range inside another, an empty one, a gap of exactly 16.
  EXPECT_EQ(mergeRanges({{100, 10}, {0, 10}, {5, 10}, {2, 3}, {50, 0}, {31, 4}}, 16),
            (std::vector<R>{{0, 35}, {100, 10}}));
  EXPECT_EQ(mergeRanges({{0, 10}, {27, 1}}, 16), (std::vector<R>{{0, 10}, {27, 1}}));
  EXPECT_EQ(mergeRanges({{0, 10}, {26, 1}}, 16), (std::vector<R>{{0, 27}}));
  // Gap 0 joins only touching or overlapping ranges.
  EXPECT_EQ(mergeRanges({{0, 10}, {10, 5}, {16, 1}}, 0), (std::vector<R>{{0, 15}, {16, 1}}));
  // A joined range stops growing at max_length; a longer single range stays whole.
  EXPECT_EQ(mergeRanges({{0, 10}, {10, 10}, {20, 10}, {30, 100}}, 16, 25),
            (std::vector<R>{{0, 20}, {20, 10}, {30, 100}}));

  FetchedRanges f;
  std::vector<uint8_t> a(20), b(5);
  for (size_t i = 0; i < a.size(); ++i) a[i] = uint8_t(i);
  for (size_t i = 0; i < b.size(); ++i) b[i] = uint8_t(100 + i);
  f.add({100, 5}, tsdb::ByteView(b));
  f.add({10, 20}, tsdb::ByteView(a));
  auto s = f.slice(15, 3);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.data()[0], 5);
  EXPECT_EQ(f.slice(28, 10).size(), 2u);  // clamped to the fetched range
  EXPECT_EQ(f.slice(102, 1).data()[0], 102);
  EXPECT_TRUE(f.slice(5, 1).empty());
  EXPECT_TRUE(f.slice(40, 1).empty());
}

using Result = std::vector<std::pair<tsdb::LabelSet, std::vector<Sample>>>;

// The former materialised select, over the bucket's blocks read as local directories: every
// matching series of every block (ULID order), samples in range concatenated, stable-sorted,
// one per timestamp; series without samples left out.
Result reference(const std::string& dir, const std::vector<Matcher>& ms, int64_t min_t,
                 int64_t max_t) {
  std::vector<std::string> blocks;
  for (const auto& e : fs::directory_iterator(dir)) blocks.push_back(e.path().string());
  std::sort(blocks.begin(), blocks.end());
  std::map<tsdb::LabelSet, std::vector<Sample>> merged;
  for (const auto& path : blocks) {
    auto r = tsdb::BlockReader::open(path);
    tsdb::LabelSet labels;
    std::vector<tsdb::ChunkRef> chunks;
    for (uint64_t ref : r->postings("", "")) {
      EXPECT_TRUE(r->series(ref, &labels, &chunks));
      if (!labelsMatch(labels, ms)) continue;
      for (const auto& c : chunks) {
        const uint8_t* p = nullptr;
        size_t n = 0;
        EXPECT_TRUE(r->chunk(c.ref, &p, &n));
        tsdb::XorIterator it(p, n);
        while (it.next())
          if (it.t() >= min_t && it.t() <= max_t) merged[labels].push_back({it.t(), it.v()});
      }
    }
  }
  Result out;
  for (auto& [labels, s] : merged) {
    std::stable_sort(s.begin(), s.end(),
                     [](const Sample& a, const Sample& b) { return a.t < b.t; });
    s.erase(std::unique(s.begin(), s.end(),
                        [](const Sample& a, const Sample& b) { return a.t == b.t; }),
            s.end());
    if (!s.empty()) out.emplace_back(labels, std::move(s));
  }
  return out;
}

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Three overlapping blocks over 400 series; block 3 disagrees with block 2 on some
    // values at shared timestamps (the smaller ULID must win), and holds series of its own.
    std::mt19937 rng(7);
    for (int b = 0; b < 3; ++b) {
      Data data;
      for (int s = 0; s < 400; ++s) {
        if (b == 0 && s % 3 == 0) continue;
        tsdb::LabelSet l = {{"__name__", s % 2 ? "up" : "load"},
                            {"idx", std::to_string(s)},
                            {"zone", b == 2 && s % 7 == 0 ? "z" + std::to_string(b) : "a"}};
        data[l] = ramp(b * 60000, 1000 + 1000 * (s % 3), 150, b == 2 ? 0.5 : 0);
        for (auto& smp : data[l]) smp.v += double(rng() % 4);
      }
      writeBlock(bucket_dir_.path(), data);
    }
    options_.bucket.type = "filesystem";
    options_.bucket.config["directory"] = bucket_dir_.path();
    options_.cache_dir = cache_dir_.path();
    bucket_ = bucket::makeBucket(options_.bucket);
  }
  std::unique_ptr<GatewayCore> core() {
    auto gw = std::make_unique<GatewayCore>(host_.host(), options_, bucket_);
    gw->sync();
    return gw;
  }

  TempDir bucket_dir_, cache_dir_;
  testing::FakeHost host_;
  GatewayOptions options_;
  std::shared_ptr<bucket::Bucket> bucket_;
};

void expectSame(const std::vector<SeriesSamples>& got, const Result& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].labels, want[i].first) << i;
    ASSERT_EQ(got[i].samples.size(), want[i].second.size()) << i;
    for (size_t j = 0; j < got[i].samples.size(); ++j) {
      ASSERT_EQ(got[i].samples[j].t, want[i].second[j].t) << i << "/" << j;
      ASSERT_EQ(got[i].samples[j].v, want[i].second[j].v) << i << "/" << j;
    }
  }
}

TEST_F(StreamTest, SameAnswerAsTheMaterialisedMergeWhateverTheBatchAndGap) {
  std::vector<std::vector<Matcher>> queries = {
      {Matcher(STRATA_MATCH_RE, "__name__", ".+")},
      {Matcher(STRATA_MATCH_EQ, "__name__", "up"), Matcher(STRATA_MATCH_NEQ, "zone", "a")},
      {Matcher(STRATA_MATCH_RE, "idx", "1.*")},
  };
  std::vector<std::pair<int64_t, int64_t>> ranges = {{0, 10'000'000}, {70'000, 130'000}};
  for (uint64_t batch : {1, 7, 256})
    for (uint64_t gap : {0, 16384}) {
      options_.series_batch_size = batch;
      options_.fetch_gap_bytes = gap;
      options_.cache_max_bytes = batch == 7 ? 0 : 64 << 20;
      auto gw = core();
      for (const auto& ms : queries)
        for (auto [lo, hi] : ranges) {
          SCOPED_TRACE("batch " + std::to_string(batch) + " gap " + std::to_string(gap));
          expectSame(gw->select("", ms, lo, hi), reference(bucket_dir_.path(), ms, lo, hi));
        }
    }
}

TEST_F(StreamTest, WideGapSameAnswerLittleWastedBytes) {
  // A 1 MiB gap joins a batch's ranges into few GETs; gap 0 fetches only what is
  // needed in many more reads (GETs not counted here). Both answer the same.
  options_.cache_max_bytes = 0;
  std::vector<Matcher> all = {Matcher(STRATA_MATCH_RE, "__name__", ".+")};
  options_.fetch_gap_bytes = 0;
  auto tight = core();
  double before = host_.metric("strata_store_gateway_bucket_fetched_bytes_total");
  auto a = tight->select("", all, 0, 10'000'000);
  double tight_bytes = host_.metric("strata_store_gateway_bucket_fetched_bytes_total") - before;
  options_.fetch_gap_bytes = 1 << 20;
  auto wide = core();
  before = host_.metric("strata_store_gateway_bucket_fetched_bytes_total");
  auto b = wide->select("", all, 0, 10'000'000);
  double wide_bytes = host_.metric("strata_store_gateway_bucket_fetched_bytes_total") - before;
  ASSERT_EQ(a.size(), b.size());
  EXPECT_GT(tight_bytes, 0);
  EXPECT_GE(wide_bytes, tight_bytes * 0.9);  // contiguous data: hardly any gap bytes
}

TEST_F(StreamTest, PerQueryBytesLimitFailsTheQueryNamingIt) {
  options_.cache_max_bytes = 0;
  options_.max_fetched_bytes_per_query = 20000;
  auto gw = core();
  try {
    gw->select("", {Matcher(STRATA_MATCH_RE, "__name__", ".+")}, 0, 10'000'000);
    FAIL() << "no limit error";
  } catch (const LimitError& e) {
    EXPECT_NE(std::string(e.what()).find("max_fetched_bytes_per_query"), std::string::npos)
        << e.what();
  }
  // A narrow query stays under it.
  EXPECT_EQ(gw->select("", {Matcher(STRATA_MATCH_EQ, "idx", "5")}, 0, 10'000'000).size(), 1u);
}

TEST_F(StreamTest, ConcurrencyLimitQueuesThenRejects) {
  options_.max_concurrent_selects = 1;
  options_.max_queued_selects = 0;
  auto gw = core();
  std::vector<Matcher> one = {Matcher(STRATA_MATCH_EQ, "idx", "5")};
  auto open = gw->selectStream("", one, 0, 10'000'000);  // holds the only slot
  try {
    gw->selectStream("", one, 0, 10'000'000);
    FAIL() << "no limit error";
  } catch (const LimitError& e) {
    EXPECT_NE(std::string(e.what()).find("max_concurrent_selects"), std::string::npos);
  }
  options_.max_queued_selects = 1;
  options_.select_queue_timeout_ms = 50;
  auto gw2 = core();
  auto held = gw2->selectStream("", one, 0, 10'000'000);
  EXPECT_THROW(gw2->selectStream("", one, 0, 10'000'000), LimitError);  // times out
  held.reset();
  EXPECT_NO_THROW(gw2->selectStream("", one, 0, 10'000'000));  // the slot is free again
  EXPECT_GE(host_.metric("strata_store_gateway_selects_rejected_total"), 2);
}

}  // namespace
}  // namespace strata::store_gateway
