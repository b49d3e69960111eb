// The compactor's downsampling and retention over a filesystem bucket: a long raw block gets
// a 5m copy (Thanos' meta, aggregate chunks whose count/sum/min/max and counter increase
// match the raw data), a long 5m block a 1h copy, nothing is downsampled twice (also after a
// crash between the copy's upload and the end of the run), and retention marks exactly the
// blocks past the retention of their resolution.
#include "compact/downsample.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "block_fixture.h"
#include "bucket/bucket_factory.h"
#include "compact/compact_group.h"
#include "compact/downsample_block.h"
#include "compactor_core.h"
#include "fake_host.h"
#include "tsdb/chunkenc/aggr_chunk.h"

namespace strata::compactor {
namespace {

using namespace compact::testing;

const tsdb::LabelSet kGauge = {{"__name__", "temp"}, {"job", "a"}};
const tsdb::LabelSet kCounter = {{"__name__", "requests_total"}, {"job", "a"}};
constexpr int64_t kDay = 24 * kHour;

tsdb::BlockMeta metaOf(const std::string& dir) {
  std::ifstream in(dir + "/meta.json", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return tsdb::metaFromJson(text, dir);
}

// Aggregate `type` of every chunk of each series of a local downsampled block, and the
// counter sub-chunks one by one.
struct Aggregates {
  std::map<tsdb::LabelSet, std::vector<compact::Sample>> by_type[tsdb::kAggrTypes];
  std::map<tsdb::LabelSet, std::vector<std::vector<compact::Sample>>> counter_chunks;
};
Aggregates readAggregates(const std::string& dir) {
  Aggregates out;
  auto r = tsdb::BlockReader::open(dir);
  for (uint64_t ref : r->postings("", "")) {
    tsdb::LabelSet labels;
    std::vector<tsdb::ChunkRef> chunks;
    EXPECT_TRUE(r->series(ref, &labels, &chunks));
    for (const auto& c : chunks) {
      uint8_t enc = 0;
      const uint8_t* p = nullptr;
      size_t n = 0;
      std::string err;
      EXPECT_TRUE(r->rawChunk(c.ref, &enc, &p, &n, &err)) << err;
      EXPECT_EQ(enc, tsdb::kEncAggr);
      tsdb::ChunkData cd{c.min_time, c.max_time, std::vector<uint8_t>(p, p + n), enc};
      for (size_t t = 0; t < tsdb::kAggrTypes; ++t) {
        auto s = compact::decodeAggregate(cd, int(t));
        auto& to = out.by_type[t][labels];
        to.insert(to.end(), s.begin(), s.end());
        if (t == size_t(tsdb::AggrType::kCounter)) out.counter_chunks[labels].push_back(s);
      }
    }
  }
  return out;
}

double rawIncrease(const Samples& s) {
  double inc = 0;
  for (size_t i = 1; i < s.size(); ++i)
    inc += s[i].second >= s[i - 1].second ? s[i].second - s[i - 1].second : s[i].second;
  return inc;
}

class DownsampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.bucket.type = "filesystem";
    options_.bucket.config["directory"] = bucket_dir_.path();
    options_.delete_delay_ms = 3600'000;
    options_.downsampling = true;
    options_.read_buffer_bytes = 64 << 10;
    bucket_ = bucket::makeBucket(options_.bucket);
  }
  std::unique_ptr<CompactorCore> core() {
    return std::make_unique<CompactorCore>(host_.host(), options_, bucket_, scratch_.path());
  }
  std::string path(const std::string& ulid) const { return bucket_dir_.path() + "/" + ulid; }
  std::vector<std::string> liveAt(int64_t resolution) {
    std::vector<std::string> out;
    for (const auto& b : liveBlocks(bucket_dir_.path()))
      if (metaOf(path(b)).downsample_resolution_ms == resolution) out.push_back(b);
    return out;
  }
  // A gauge every minute and a counter every 30 s with a reset every ~7h, over [from, to).
  Data series(int64_t from, int64_t to) {
    Data d;
    d[kGauge] = samples(from, to, 60'000);
    double v = 0;
    for (int64_t t = from; t < to; t += 30'000) {
      v = (t / 1000) % 25'000 == 0 ? 3 : v + double((t / 30'000) % 7);
      d[kCounter].push_back({t, v});
    }
    return d;
  }
  int64_t now_ = 400 * kDay;

  TempDir bucket_dir_, scratch_;
  strata::testing::FakeHost host_;
  CompactorOptions options_;
  std::shared_ptr<bucket::Bucket> bucket_;
};

TEST_F(DownsampleTest, LongRawBlockGetsA5mCopyMatchingTheRawData) {
  Data raw = series(0, 2 * kDay);
  std::string src = writeBlock(bucket_dir_.path(), 0, 2 * kDay, raw, {{"tenant_id", "t1"}});
  ASSERT_TRUE(core()->run(now_));
  auto five = liveAt(compact::kRes5m);
  ASSERT_EQ(five.size(), 1u);
  EXPECT_EQ(liveAt(0), std::vector<std::string>{src});  // the source stays
  tsdb::BlockMeta m = metaOf(path(five[0]));
  EXPECT_EQ(m.downsample_resolution_ms, 300'000);
  EXPECT_EQ(m.min_time, 0);
  EXPECT_EQ(m.max_time, 2 * kDay);
  EXPECT_EQ(m.thanos_source, "compactor");
  EXPECT_EQ(m.thanos_labels, (std::map<std::string, std::string>{{"tenant_id", "t1"}}));
  EXPECT_EQ(m.compaction_sources, std::vector<std::string>{src});
  EXPECT_EQ(m.num_series, 2u);
  EXPECT_EQ(m.num_samples, 2u * 576);  // one per 5m window
  EXPECT_EQ(host_.metric("strata_compactor_blocks_downsampled_total", "resolution=5m"), 1);

  Aggregates a = readAggregates(path(five[0]));
  for (const auto& labels : {kGauge, kCounter}) {
    const Samples& s = raw.at(labels);
    const auto& count = a.by_type[0].at(labels);
    const auto& sum = a.by_type[1].at(labels);
    const auto& mn = a.by_type[2].at(labels);
    const auto& mx = a.by_type[3].at(labels);
    ASSERT_EQ(count.size(), 576u);
    for (size_t w = 0; w < count.size(); ++w) {
      double c = 0, su = 0, lo = 1e300, hi = -1e300;
      for (const auto& [t, v] : s)
        if (t / compact::kRes5m == int64_t(w)) {
          ++c;
          su += v;
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
      EXPECT_EQ(count[w].t, int64_t(w + 1) * compact::kRes5m - 1);
      EXPECT_EQ(count[w].v, c);
      EXPECT_EQ(sum[w].v, su);
      EXPECT_EQ(mn[w].v, lo);
      EXPECT_EQ(mx[w].v, hi);
    }
  }
  auto ctr = compact::applyCounterResets(a.counter_chunks.at(kCounter));
  EXPECT_EQ(ctr.samples.back().v - ctr.samples.front().v, rawIncrease(raw.at(kCounter)));

  // Not redone.
  ASSERT_TRUE(core()->run(now_));
  EXPECT_EQ(liveAt(compact::kRes5m), five);
  EXPECT_EQ(host_.metric("strata_compactor_blocks_downsampled_total", "resolution=5m"), 1);
}

TEST_F(DownsampleTest, ShortBlocksAreNotDownsampledAndTheSwitchTurnsItOff) {
  writeBlock(bucket_dir_.path(), 0, 8 * kHour, series(0, 8 * kHour));
  ASSERT_TRUE(core()->run(now_));
  EXPECT_TRUE(liveAt(compact::kRes5m).empty());
  options_.resolutions.downsample_raw_after_ms = 8 * kHour;
  options_.downsampling = false;
  ASSERT_TRUE(core()->run(now_));
  EXPECT_TRUE(liveAt(compact::kRes5m).empty());
  options_.downsampling = true;
  ASSERT_TRUE(core()->run(now_));
  EXPECT_EQ(liveAt(compact::kRes5m).size(), 1u);
}

TEST_F(DownsampleTest, LongRawBlockCascadesTo1hInOneRun) {
  Data raw = series(0, 11 * kDay);
  writeBlock(bucket_dir_.path(), 0, 11 * kDay, raw);
  ASSERT_TRUE(core()->run(now_));
  ASSERT_EQ(liveAt(compact::kRes5m).size(), 1u);
  auto hour = liveAt(compact::kRes1h);
  ASSERT_EQ(hour.size(), 1u);
  tsdb::BlockMeta m = metaOf(path(hour[0]));
  EXPECT_EQ(m.downsample_resolution_ms, 3'600'000);
  EXPECT_EQ(m.max_time, 11 * kDay);
  Aggregates a = readAggregates(path(hour[0]));
  const auto& count = a.by_type[0].at(kGauge);
  ASSERT_EQ(count.size(), size_t(11 * 24));
  double total = 0;
  for (const auto& c : count) total += c.v;
  EXPECT_EQ(total, double(raw.at(kGauge).size()));
  auto ctr = compact::applyCounterResets(a.counter_chunks.at(kCounter));
  EXPECT_EQ(ctr.samples.back().v - ctr.samples.front().v, rawIncrease(raw.at(kCounter)));
  EXPECT_EQ(host_.metric("strata_compactor_blocks_downsampled_total", "resolution=1h"), 1);
}

// A crash after the copy's meta.json was uploaded (the run never recorded it): the next run
// finds the copy covering the source and does not downsample again. A copy without meta.json
// (upload interrupted) is a partial block: downsampled again, the partial one cleaned later.
TEST_F(DownsampleTest, CrashAfterUploadIsNotRedonePartialUploadIs) {
  std::string src = writeBlock(bucket_dir_.path(), 0, 2 * kDay, series(0, 2 * kDay));
  compact::CompactOptions copts;
  copts.scratch_dir = scratch_.path();
  auto done = compact::downsampleBlock(bucket_, metaOf(path(src)), copts);
  ASSERT_TRUE(core()->run(now_));
  EXPECT_EQ(liveAt(compact::kRes5m), std::vector<std::string>{done.meta.ulid});
  EXPECT_EQ(host_.metric("strata_compactor_blocks_downsampled_total", "resolution=5m"), 0);

  std::filesystem::remove(path(done.meta.ulid) + "/meta.json");
  ASSERT_TRUE(core()->run(now_));
  auto five = liveAt(compact::kRes5m);
  ASSERT_EQ(five.size(), 1u);
  EXPECT_NE(five[0], done.meta.ulid);
  EXPECT_EQ(host_.metric("strata_compactor_blocks_downsampled_total", "resolution=5m"), 1);
}

// A raw block compacted from an already downsampled block and a fresh one is downsampled
// whole; its 5m copy covers the older copy, which is marked for deletion in the same run.
TEST_F(DownsampleTest, CopyOfAPartlyDownsampledBlockSupersedesTheOlderCopy) {
  std::string a = writeBlock(bucket_dir_.path(), 0, 2 * kDay, series(0, 2 * kDay));
  ASSERT_TRUE(core()->run(now_));
  auto old_copy = liveAt(compact::kRes5m);
  ASSERT_EQ(old_copy.size(), 1u);
  // As after compacting `a` with a later block b into one 4d block: `a` marked, the 4d block's
  // sources {a, b}.
  std::filesystem::remove_all(path(a));
  tsdb::BlockMeta meta;
  meta.min_time = 0;
  meta.max_time = 4 * kDay;
  meta.compaction_level = 3;
  meta.compaction_sources = {a, "01BBBBBBBBBBBBBBBBBBBBBBBB"};
  std::sort(meta.compaction_sources.begin(), meta.compaction_sources.end());
  tsdb::BlockWriter w(bucket_dir_.path(), meta, "compactor");
  for (const auto& [labels, s] : series(0, 4 * kDay)) w.addSeries(labels, chunksOf(s));
  w.finish();
  ASSERT_TRUE(core()->run(now_));
  auto five = liveAt(compact::kRes5m);
  ASSERT_EQ(five.size(), 1u);
  EXPECT_NE(five[0], old_copy[0]);
  EXPECT_EQ(metaOf(path(five[0])).max_time, 4 * kDay);
  EXPECT_TRUE(std::filesystem::exists(path(old_copy[0]) + "/deletion-mark.json"));
}

// Retention raw 7d, 5m 30d, 1h 180d: exactly the blocks whose maxTime is older than now minus
// their resolution's retention get a deletion mark; the cleaner deletes them after the delay.
TEST_F(DownsampleTest, RetentionMarksExactlyTheBlocksPastTheirResolutionsRetention) {
  options_.downsampling = false;
  options_.resolutions.retention_raw_ms = 7 * kDay;
  options_.resolutions.retention_5m_ms = 30 * kDay;
  options_.resolutions.retention_1h_ms = 180 * kDay;
  options_.block_ranges = {2 * kHour};  // no compaction in the way
  struct B {
    int64_t res, max_age;  // maxTime = now - max_age
    bool expired;
  };
  const std::vector<B> cases = {
      {0, 6 * kDay, false},          {0, 7 * kDay, false},           {0, 7 * kDay + 1, true},
      {0, 20 * kDay, true},          {300'000, 20 * kDay, false},    {300'000, 31 * kDay, true},
      {3'600'000, 31 * kDay, false}, {3'600'000, 179 * kDay, false}, {3'600'000, 181 * kDay, true},
  };
  std::map<std::string, bool> want;
  for (size_t i = 0; i < cases.size(); ++i) {
    int64_t max_t = now_ - cases[i].max_age, min_t = max_t - 2 * kHour;
    tsdb::BlockMeta meta;
    meta.min_time = min_t;
    meta.max_time = max_t;
    meta.downsample_resolution_ms = cases[i].res;
    meta.thanos_labels = {{"i", std::to_string(i)}};  // one stream each
    tsdb::BlockWriter w(bucket_dir_.path(), meta, "test");
    w.addSeries(kGauge, chunksOf(samples(min_t, max_t, 60'000)));
    want[std::filesystem::path(w.finish()).filename().string()] = cases[i].expired;
  }
  ASSERT_TRUE(core()->run(now_));
  for (const auto& [ulid, expired] : want)
    EXPECT_EQ(std::filesystem::exists(path(ulid) + "/deletion-mark.json"), expired) << ulid;
  EXPECT_EQ(host_.metric("strata_compactor_blocks_marked_by_retention_total"), 4);
  ASSERT_TRUE(core()->run(now_ + 3600'000));  // past delete_delay: deleted
  for (const auto& [ulid, expired] : want)
    EXPECT_EQ(std::filesystem::exists(path(ulid)), !expired) << ulid;
}

}  // namespace
}  // namespace strata::compactor
