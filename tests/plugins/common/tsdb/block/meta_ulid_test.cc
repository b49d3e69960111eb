#include <gtest/gtest.h>

#include <set>

#include "tsdb/block/meta_json.h"
#include "tsdb/block/ulid.h"

namespace strata::tsdb {
namespace {

TEST(Ulid, FormatAndTimeOrder) {
  std::set<std::string> seen;
  std::string prev;
  for (int64_t ms = 1'700'000'000'000; ms < 1'700'000'000'100; ++ms) {
    std::string u = newUlid(ms);
    ASSERT_EQ(u.size(), 26u);
    EXPECT_EQ(u.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ"), std::string::npos) << u;
    EXPECT_LE(u[0], '7');  // 128 bits in 130: the first character carries 3 bits
    if (!prev.empty()) {
      EXPECT_LT(prev.substr(0, 10), u.substr(0, 10));
    }
    prev = u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 100u);
  // 48-bit timestamp 0 is ten zeros; the all-ones timestamp is 7ZZZZZZZZZ.
  EXPECT_EQ(newUlid(0).substr(0, 10), "0000000000");
  EXPECT_EQ(newUlid(0xFFFFFFFFFFFF).substr(0, 10), "7ZZZZZZZZZ");
}

TEST(MetaJson, RoundTrip) {
  BlockMeta m;
  m.ulid = "01HABCDEFGHJKMNPQRSTVWXYZ0";
  m.min_time = -5;
  m.max_time = 7'200'000;
  m.num_samples = 123456789012;
  m.num_series = 3;
  m.num_chunks = 9;
  m.compaction_level = 2;
  m.compaction_sources = {"A", "B"};
  m.compaction_parents = {{"P1", -5, 100}, {"P2", 100, 7'200'000}};
  m.thanos_labels = {{"tenant_id", "team \"x\""}, {"cluster", "c1"}};
  m.downsample_resolution_ms = 300000;
  m.thanos_source = "compactor";
  BlockMeta r = metaFromJson(metaToJson(m), "test");
  EXPECT_EQ(r.ulid, m.ulid);
  EXPECT_EQ(r.min_time, m.min_time);
  EXPECT_EQ(r.max_time, m.max_time);
  EXPECT_EQ(r.num_samples, m.num_samples);
  EXPECT_EQ(r.num_series, m.num_series);
  EXPECT_EQ(r.num_chunks, m.num_chunks);
  EXPECT_EQ(r.compaction_level, 2);
  EXPECT_EQ(r.compaction_sources, m.compaction_sources);
  EXPECT_EQ(r.compaction_parents, m.compaction_parents);
  EXPECT_EQ(r.thanos_labels, m.thanos_labels);
  EXPECT_EQ(r.downsample_resolution_ms, 300000);
  EXPECT_EQ(r.thanos_source, "compactor");
}

TEST(MetaJson, ReadsPrometheusMetaWithoutThanos) {
  std::string text = R"({"ulid":"01BKGV7JC0RY8A6MACW02A2PJD","minTime":1602237600000,
    "maxTime":1602244800000,"stats":{"numSamples":553673232,"numSeries":1346066,
    "numChunks":4440437},"compaction":{"level":1,"sources":["01BKGV7JC0RY8A6MACW02A2PJD"]},
    "version":1})";
  BlockMeta m = metaFromJson(text, "x");
  EXPECT_EQ(m.num_series, 1346066u);
  EXPECT_EQ(m.max_time, 1602244800000);
  EXPECT_TRUE(m.thanos_labels.empty());
  EXPECT_EQ(m.thanos_source, "");
  EXPECT_THROW(metaFromJson(R"({"ulid":"x","minTime":0,"maxTime":1,"version":2})", "x"),
               std::runtime_error);
  EXPECT_THROW(metaFromJson("{", "x"), std::runtime_error);
}

}  // namespace
}  // namespace strata::tsdb
