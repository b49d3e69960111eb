// The index-header: built once from the bucket, answering exactly as the index's in-memory
// tables do (sampled lookups included), reused by a restart without refetching, rebuilt when
// corrupt, removed when its block leaves the bucket.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "bucket/bucket_factory.h"
#include "fake_host.h"
#include "gateway_core.h"
#include "index_header_cache.h"
#include "test_blocks.h"
#include "tsdb/index/index_reader.h"

namespace strata::store_gateway {
namespace {

namespace fs = std::filesystem;
using namespace testblocks;

const char* kFetched = "strata_store_gateway_bucket_fetched_bytes_total";
const char* kBuilt = "strata_store_gateway_index_headers_built_total";

class IndexHeaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 100 jobs x 3 instances: more than IndexHeader::kSampleEvery values and symbols.
    for (int j = 0; j < 100; ++j)
      for (int i = 0; i < 3; ++i)
        data_[{{"__name__", "up"},
               {"instance", "i" + std::to_string(i)},
               {"job", "job" + std::to_string(j)}}] = ramp(0, 1000, 60, j);
    ulid_ = writeBlock(bucket_dir_.path(), data_);
    options_.bucket.type = "filesystem";
    options_.bucket.config["directory"] = bucket_dir_.path();
    options_.cache_dir = cache_dir_.path();
    bucket_ = bucket::makeBucket(options_.bucket);
  }
  std::string headerPath() const { return indexHeaderPath(cache_dir_.path(), ulid_); }

  TempDir bucket_dir_, cache_dir_;
  Data data_;
  std::string ulid_;
  GatewayOptions options_;
  std::shared_ptr<bucket::Bucket> bucket_;
};

TEST_F(IndexHeaderTest, AnswersAsTheIndexDoes) {
  std::string index = (fs::path(bucket_dir_.path()) / ulid_ / "index").string();
  auto src = std::make_shared<tsdb::MmapByteSource>(index);
  bool built = false;
  auto header = loadIndexHeader(cache_dir_.path(), ulid_, *src, &built);
  EXPECT_TRUE(built);
  EXPECT_LT(fs::file_size(headerPath()), fs::file_size(index));
  tsdb::IndexReader mem(src), hdr(src, header);
  EXPECT_EQ(hdr.labelNames(), mem.labelNames());
  for (const auto& name : mem.labelNames()) {
    auto values = mem.labelValues(name);
    ASSERT_EQ(hdr.labelValues(name), values) << name;
    for (const auto& v : values) EXPECT_EQ(hdr.postings(name, v), mem.postings(name, v)) << v;
  }
  EXPECT_EQ(hdr.postings("", ""), mem.postings("", ""));
  EXPECT_TRUE(hdr.postings("job", "job100").empty());
  EXPECT_TRUE(hdr.postings("job", "a").empty());   // before the first value
  EXPECT_TRUE(hdr.postings("job", "zz").empty());  // after the last
  EXPECT_TRUE(hdr.postings("nope", "x").empty());
  tsdb::LabelSet a, b;
  for (uint64_t ref : mem.postings("", "")) {
    ASSERT_TRUE(mem.series(ref, &a, nullptr));
    ASSERT_TRUE(hdr.series(ref, &b, nullptr));
    EXPECT_EQ(a, b);
  }
  EXPECT_GT(header->numSymbols(), 2 * tsdb::IndexHeader::kSampleEvery);
}

TEST_F(IndexHeaderTest, RestartReusesItCorruptOneIsRebuiltGoneBlockRemovesIt) {
  testing::FakeHost first;
  double fetched_first = 0;
  {
    GatewayCore gw(first.host(), options_, bucket_);
    gw.sync();
    fetched_first = first.metric(kFetched);
    EXPECT_EQ(first.metric(kBuilt), 1);
    EXPECT_EQ(gw.select("", {Matcher(STRATA_MATCH_EQ, "job", "job7")}, 0, 1'000'000).size(), 3u);
  }
  ASSERT_TRUE(fs::exists(headerPath()));
  auto meta_bytes = double(fs::file_size(fs::path(bucket_dir_.path()) / ulid_ / "meta.json"));

  // A restart: only meta.json is fetched, the header is not built again.
  testing::FakeHost second;
  {
    GatewayCore gw(second.host(), options_, bucket_);
    gw.sync();
    EXPECT_EQ(second.metric(kBuilt), 0);
    EXPECT_EQ(second.metric(kFetched), meta_bytes);
    EXPECT_LT(second.metric(kFetched), fetched_first);
    EXPECT_EQ(gw.select("", {Matcher(STRATA_MATCH_EQ, "job", "job7")}, 0, 1'000'000).size(), 3u);
  }

  // A corrupt header (one byte flipped) and one of another version are rebuilt.
  for (size_t at : {size_t(100), size_t(4)}) {
    std::fstream f(headerPath(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(std::streamoff(at));
    f.put(char(0x7f));
    f.close();
    EXPECT_THROW(tsdb::IndexHeader::open(headerPath(), 0), std::runtime_error);
    testing::FakeHost third;
    GatewayCore gw(third.host(), options_, bucket_);
    gw.sync();
    EXPECT_EQ(third.metric(kBuilt), 1);
    EXPECT_NO_THROW(tsdb::IndexHeader::open(headerPath(), 0));
    EXPECT_EQ(gw.select("", {Matcher(STRATA_MATCH_EQ, "job", "job9")}, 0, 1'000'000).size(), 3u);
  }

  // The block leaves the bucket: its header goes at the next sync; other files stay.
  std::ofstream(fs::path(cache_dir_.path()) / "keep-me") << "x";
  testing::FakeHost fourth;
  GatewayCore gw(fourth.host(), options_, bucket_);
  gw.sync();
  fs::remove_all(fs::path(bucket_dir_.path()) / ulid_);
  gw.sync();
  EXPECT_FALSE(fs::exists(fs::path(cache_dir_.path()) / ulid_));
  EXPECT_TRUE(fs::exists(fs::path(cache_dir_.path()) / "keep-me"));
}

}  // namespace
}  // namespace strata::store_gateway
