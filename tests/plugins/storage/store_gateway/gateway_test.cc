// The store gateway over a filesystem bucket holding blocks written by the TSDB BlockWriter:
// series selected and merged across blocks, samples checked, and bad bucket content (partial
// block, corrupt meta.json, corrupt index, deletion mark) skipped and counted.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "bucket/bucket_factory.h"
#include "fake_host.h"
#include "gateway_core.h"
#include "tsdb/block/block_writer.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::store_gateway {
namespace {

namespace fs = std::filesystem;

class Dir {
 public:
  Dir() {
    std::string t = (fs::temp_directory_path() / "strata-gw-XXXXXX").string();
    if (!::mkdtemp(t.data())) std::abort();
    path_ = t;
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Samples at t = first, first + step, ... (count of them), value = t / 1000 + offset.
std::vector<Sample> series(int64_t first, int64_t step, int count, double offset) {
  std::vector<Sample> out;
  for (int i = 0; i < count; ++i) {
    int64_t t = first + i * step;
    out.push_back({t, double(t) / 1000 + offset});
  }
  return out;
}

std::vector<tsdb::ChunkData> chunksOf(const std::vector<Sample>& samples) {
  std::vector<tsdb::ChunkData> out;
  for (size_t i = 0; i < samples.size(); i += 50) {
    tsdb::XorAppender app;
    for (size_t j = i; j < std::min(samples.size(), i + 50); ++j)
      app.append(samples[j].t, samples[j].v);
    out.push_back({app.minTime(), app.maxTime(), app.bytes()});
  }
  return out;
}

using Data = std::map<tsdb::LabelSet, std::vector<Sample>>;

// Writes a block into the bucket directory; returns its ULID.
std::string writeBlock(const std::string& dir, const Data& data,
                       std::map<std::string, std::string> ext = {}) {
  tsdb::BlockMeta meta;
  meta.thanos_labels = std::move(ext);
  tsdb::BlockWriter w(dir, meta, "test");
  for (const auto& [labels, samples] : data) w.addSeries(labels, chunksOf(samples));
  return fs::path(w.finish()).filename().string();
}

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

const tsdb::LabelSet kA = {{"__name__", "up"}, {"job", "a"}};
const tsdb::LabelSet kB = {{"__name__", "up"}, {"job", "b"}};
const tsdb::LabelSet kC = {{"__name__", "load"}, {"job", "a"}};

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bucket::BucketConfig c;
    c.type = "filesystem";
    c.config["directory"] = dir_.path();
    bucket_ = bucket::makeBucket(c);
    options_.bucket = c;
    options_.cache_dir = headers_.path();  // index-headers on disk, as in the plugin
  }
  std::unique_ptr<GatewayCore> core() {
    return std::make_unique<GatewayCore>(host_.host(), options_, bucket_);
  }
  static std::vector<Matcher> eq(const std::string& name, const std::string& value) {
    return {Matcher(STRATA_MATCH_EQ, name, value)};
  }

  Dir dir_, headers_;
  testing::FakeHost host_;
  GatewayOptions options_;
  std::shared_ptr<bucket::Bucket> bucket_;
};

void expectSamples(const std::vector<Sample>& got, const std::vector<Sample>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].t, want[i].t) << i;
    EXPECT_EQ(got[i].v, want[i].v) << i;
  }
}

TEST_F(GatewayTest, SelectsAndMergesSeriesAcrossBlocks) {
  // Block 1: A and B over [0, 100 s); block 2: A over [50 s, 150 s) (overlapping, the same
  // samples where they overlap) and C.
  writeBlock(dir_.path(), {{kA, series(0, 1000, 100, 0)}, {kB, series(0, 1000, 100, 7)}});
  writeBlock(dir_.path(), {{kA, series(50000, 1000, 100, 0)}, {kC, series(0, 15000, 10, 1)}});
  auto gw = core();
  gw->sync();
  EXPECT_EQ(gw->loadedBlocks().size(), 2u);
  EXPECT_EQ(host_.metric("strata_store_gateway_blocks_loaded"), 2);
  EXPECT_EQ(host_.metric("strata_store_gateway_syncs_total"), 1);
  EXPECT_GT(host_.metric("strata_store_gateway_bucket_fetched_bytes_total"), 0);

  auto got = gw->select("", eq("__name__", "up"), 0, 1'000'000);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].labels, kA);
  expectSamples(got[0].samples, series(0, 1000, 150, 0));  // concatenated, deduplicated
  EXPECT_EQ(got[1].labels, kB);
  expectSamples(got[1].samples, series(0, 1000, 100, 7));

  // Time range (inclusive) and regex / negative matchers.
  got = gw->select(
      "", {Matcher(STRATA_MATCH_RE, "__name__", "up|load"), Matcher(STRATA_MATCH_NEQ, "job", "b")},
      20000, 60000);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].labels, kC);
  expectSamples(got[0].samples, series(30000, 15000, 3, 1));
  EXPECT_EQ(got[1].labels, kA);
  expectSamples(got[1].samples, series(20000, 1000, 41, 0));

  // A range only block 2 covers.
  got = gw->select("", eq("job", "b"), 120000, 140000);
  EXPECT_TRUE(got.empty());
  // A matcher on a label no series has, matching the empty value: every series.
  got = gw->select("", {Matcher(STRATA_MATCH_EQ, "zone", "")}, 0, 1'000'000);
  EXPECT_EQ(got.size(), 3u);

  EXPECT_EQ(gw->labelNames("", {}, 0, 1'000'000), (std::vector<std::string>{"__name__", "job"}));
  EXPECT_EQ(gw->labelValues("", "job", {}, 0, 1'000'000), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(gw->labelValues("", "job", eq("__name__", "load"), 0, 1'000'000),
            (std::vector<std::string>{"a"}));
  // Without matchers, label values are per overlapping block (block 2 holds both names).
  EXPECT_EQ(gw->labelValues("", "__name__", {}, 120000, 140000),
            (std::vector<std::string>{"load", "up"}));
}

TEST_F(GatewayTest, SkipsBadBlocksAndServesTheRest) {
  std::string good = writeBlock(dir_.path(), {{kA, series(0, 1000, 10, 0)}});
  // Partial: no meta.json (an upload in progress). Not counted, not served.
  std::string partial = writeBlock(dir_.path(), {{kB, series(0, 1000, 10, 0)}});
  fs::remove(fs::path(dir_.path()) / partial / "meta.json");
  // Corrupt meta.json.
  std::string bad_meta = writeBlock(dir_.path(), {{kB, series(0, 1000, 10, 0)}});
  writeFile(fs::path(dir_.path()) / bad_meta / "meta.json", "{\"ulid\": ");
  // Corrupt index.
  std::string bad_index = writeBlock(dir_.path(), {{kB, series(0, 1000, 10, 0)}});
  writeFile(fs::path(dir_.path()) / bad_index / "index", "not an index at all");
  // Marked for deletion.
  std::string marked = writeBlock(dir_.path(), {{kB, series(0, 1000, 10, 0)}});
  writeFile(fs::path(dir_.path()) / marked / "deletion-mark.json", "{}");
  // Not a block directory.
  writeFile(fs::path(dir_.path()) / "debug" / "meta.json", "{}");

  auto gw = core();
  gw->sync();
  EXPECT_EQ(gw->loadedBlocks(), std::vector<std::string>{good});
  EXPECT_EQ(host_.metric("strata_store_gateway_blocks_skipped_total", "reason=meta_json"), 1);
  EXPECT_EQ(host_.metric("strata_store_gateway_blocks_skipped_total", "reason=index"), 1);
  EXPECT_EQ(host_.metric("strata_store_gateway_blocks_skipped_total", "reason=chunks"), 0);
  auto got = gw->select("", eq("__name__", "up"), 0, 1'000'000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].labels, kA);

  // A second sync does not count the same bad blocks again.
  fs::remove_all(fs::path(dir_.path()) / marked);
  gw->sync();
  EXPECT_EQ(host_.metric("strata_store_gateway_blocks_skipped_total", "reason=meta_json"), 1);
  EXPECT_EQ(host_.metric("strata_store_gateway_blocks_skipped_total", "reason=index"), 1);
  EXPECT_EQ(gw->loadedBlocks().size(), 1u);

  // Blocks deleted from the bucket are dropped.
  fs::remove_all(fs::path(dir_.path()) / good);
  gw->sync();
  EXPECT_TRUE(gw->loadedBlocks().empty());
  EXPECT_TRUE(gw->select("", eq("__name__", "up"), 0, 1'000'000).empty());
}

TEST_F(GatewayTest, TenantAndTimeShard) {
  writeBlock(dir_.path(), {{kA, series(0, 1000, 10, 0)}}, {{"tenant_id", "t1"}});
  writeBlock(dir_.path(), {{kB, series(0, 1000, 10, 0)}}, {{"tenant_id", "t2"}});
  auto gw = core();
  gw->sync();
  auto got = gw->select("t2", eq("__name__", "up"), 0, 1'000'000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].labels, kB);
  EXPECT_EQ(gw->select("", eq("__name__", "up"), 0, 1'000'000).size(), 2u);
  // A block without the tenant label belongs to default_tenant.
  writeBlock(dir_.path(), {{kC, series(0, 1000, 10, 0)}});
  gw->sync();
  got = gw->select("default-tenant", {Matcher(STRATA_MATCH_RE, "__name__", ".+")}, 0, 1'000'000);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].labels, kC);

  // Blocks from 1970 end long before now - 2w: a gateway sharded to the last 2 weeks skips them.
  options_.min_time_offset_ms = parseRelativeDuration("-2w");
  auto recent = core();
  recent->sync();
  EXPECT_TRUE(recent->loadedBlocks().empty());
}

TEST_F(GatewayTest, AdvertisesTheTimeRangeOfItsBlocksPerTenant) {
  auto gw = core();
  gw->sync();
  sdk::SourceInfo none = gw->info("");
  EXPECT_GT(none.min_time_ms, none.max_time_ms);  // nothing loaded: no query can match
  EXPECT_FALSE(none.mayMatch(INT64_MIN, INT64_MAX, [](auto&, auto&) { return true; }));
  writeBlock(dir_.path(), {{kA, series(5000, 1000, 10, 0)}}, {{"tenant_id", "t1"}});
  writeBlock(dir_.path(), {{kB, series(100000, 1000, 10, 0)}}, {{"tenant_id", "t2"}});
  gw->sync();
  sdk::SourceInfo t1 = gw->info("t1"), all = gw->info("");
  EXPECT_EQ(t1.min_time_ms, 5000);
  EXPECT_EQ(t1.max_time_ms, 14000);  // the last sample; meta.json's maxTime is exclusive
  EXPECT_EQ(all.min_time_ms, 5000);
  EXPECT_EQ(all.max_time_ms, 109000);
  EXPECT_FALSE(t1.mayMatch(14001, 20000, [](auto&, auto&) { return true; }));
  EXPECT_TRUE(t1.mayMatch(14000, 20000, [](auto&, auto&) { return true; }));
}

TEST_F(GatewayTest, RangeCacheServesRepeatedReadsWithinItsBound) {
  Data data;
  for (int i = 0; i < 50; ++i)
    data[{{"__name__", "up"}, {"job", "j" + std::to_string(i)}}] = series(0, 1000, 200, i);
  writeBlock(dir_.path(), data);
  const char* fetched = "strata_store_gateway_bucket_fetched_bytes_total";

  options_.cache_max_bytes = 0;  // no cache: a repeated query fetches again
  auto plain = core();
  plain->sync();
  double before = host_.metric(fetched);
  EXPECT_EQ(plain->select("", eq("__name__", "up"), 0, 1'000'000).size(), 50u);
  double one_query = host_.metric(fetched) - before;
  EXPECT_GT(one_query, 0);
  plain->select("", eq("__name__", "up"), 0, 1'000'000);
  EXPECT_EQ(host_.metric(fetched) - before, 2 * one_query);
  EXPECT_EQ(plain->cacheBytes(), 0u);

  options_.cache_max_bytes = 1 << 20;  // room for everything: the repeat fetches nothing
  testing::FakeHost host2;
  GatewayCore cached(host2.host(), options_, bucket_);
  cached.sync();
  cached.select("", eq("__name__", "up"), 0, 1'000'000);
  before = host2.metric(fetched);
  auto again = cached.select("", eq("__name__", "up"), 0, 1'000'000);
  EXPECT_EQ(host2.metric(fetched), before);
  ASSERT_EQ(again.size(), 50u);
  expectSamples(again[49].samples, series(0, 1000, 200, 9));  // label order: j9 last
  EXPECT_LE(cached.cacheBytes(), 1u << 20);

  options_.cache_max_bytes = 4096;  // a small bound is kept
  testing::FakeHost host3;
  GatewayCore small(host3.host(), options_, bucket_);
  small.sync();
  EXPECT_EQ(small.select("", eq("__name__", "up"), 0, 1'000'000).size(), 50u);
  EXPECT_LE(small.cacheBytes(), 4096u);
  EXPECT_LE(host3.metric("strata_store_gateway_range_cache_bytes"), 4096);
}

relabel::Rule rule(relabel::Action action, std::vector<std::string> sources, std::string regex,
                   uint64_t modulus = 0, std::string target = "") {
  relabel::Rule r;
  r.action = action;
  r.source_labels = std::move(sources);
  std::string error;
  r.regex = relabel::compileAnchored(regex, &error);
  r.regex_text = regex;
  r.modulus = modulus;
  r.target_label = std::move(target);
  return r;
}

TEST_F(GatewayTest, SelectorRelabelConfigsSplitABucketBetweenGateways) {
  std::string a = writeBlock(dir_.path(), {{kA, series(0, 1000, 10, 0)}}, {{"cluster", "a"}});
  std::string b = writeBlock(dir_.path(), {{kB, series(0, 1000, 10, 0)}}, {{"cluster", "b"}});
  std::string c = writeBlock(dir_.path(), {{kC, series(0, 1000, 10, 0)}}, {{"cluster", "c"}});
  options_.selector_relabel_configs = {rule(relabel::Action::kKeep, {"cluster"}, "a|b")};
  auto ab = core();
  ab->sync();
  EXPECT_EQ(ab->loadedBlocks(), (std::vector<std::string>{std::min(a, b), std::max(a, b)}));
  // Thanos' sharding by block: hashmod over __block_id, two gateways, disjoint and complete.
  std::set<std::string> seen;
  size_t total = 0;
  for (const char* shard : {"0", "1"}) {
    options_.selector_relabel_configs = {
        rule(relabel::Action::kHashMod, {"__block_id"}, "(.*)", 2, "shard"),
        rule(relabel::Action::kKeep, {"shard"}, shard)};
    auto gw = core();
    gw->sync();
    for (const auto& ulid : gw->loadedBlocks()) seen.insert(ulid);
    total += gw->loadedBlocks().size();
  }
  EXPECT_EQ(total, 3u);
  EXPECT_EQ(seen, (std::set<std::string>{a, b, c}));
}

TEST(GatewayOptions, RelativeDurations) {
  EXPECT_EQ(parseRelativeDuration(""), std::nullopt);
  EXPECT_EQ(parseRelativeDuration("-2w"), -14LL * 24 * 3600 * 1000);
  EXPECT_EQ(parseRelativeDuration("-1d12h"), -36LL * 3600 * 1000);
  EXPECT_EQ(parseRelativeDuration("30m"), 30LL * 60 * 1000);
  EXPECT_THROW(parseRelativeDuration("2024-01-01T00:00:00Z"), std::invalid_argument);
  EXPECT_THROW(parseRelativeDuration("-"), std::invalid_argument);
  EXPECT_THROW(parseRelativeDuration("-2x"), std::invalid_argument);
}

}  // namespace
}  // namespace strata::store_gateway
