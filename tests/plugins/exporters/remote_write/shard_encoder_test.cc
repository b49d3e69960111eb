// encodeShards: per-shard routing, the max_samples split, and order within a series.
#include "shard_encoder.h"

#include <gtest/gtest.h>

#include <map>

#include "proto/remote.pb.h"
#include "test_util.h"

namespace strata::rwexporter {
namespace {

using testing::makeBatch;

struct Decoded {
  std::vector<std::pair<std::string, int64_t>> samples;  // (series value of label s, ts)
};

Decoded decode(const std::string& payload) {
  prometheus::WriteRequest r;
  EXPECT_TRUE(r.ParseFromString(payload));
  Decoded d;
  for (const auto& ts : r.timeseries())
    for (const auto& s : ts.samples()) d.samples.push_back({ts.labels(1).value(), s.timestamp()});
  return d;
}

TEST(ShardEncoderTest, SplitsAtMaxSamplesKeepingOrder) {
  sdk::OwnedBatch b(makeBatch(2, 5, 100));
  auto entries = encodeShards(b.view(), 1, 3);
  ASSERT_EQ(entries.size(), 4u);  // 10 samples in chunks of 3
  std::vector<uint32_t> counts;
  std::string all;
  for (const auto& e : entries) {
    counts.push_back(e.samples);
    EXPECT_EQ(e.shard, 0u);
    EXPECT_EQ(decode(e.payload).samples.size(), e.samples);
    all += e.payload;  // concatenated WriteRequests are one WriteRequest
  }
  EXPECT_EQ(counts, (std::vector<uint32_t>{3, 3, 3, 1}));
  auto d = decode(all);
  ASSERT_EQ(d.samples.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(d.samples[i].first, i < 5 ? "0" : "1");
    EXPECT_EQ(d.samples[i].second, 100 + static_cast<int64_t>(i % 5));
  }
  EXPECT_EQ(entries[0].min_ts, 100);
  EXPECT_EQ(entries[0].max_ts, 102);
}

TEST(ShardEncoderTest, RoutesEverySeriesToItsHashShard) {
  sdk::OwnedBatch b(makeBatch(40, 2, 0));
  std::map<std::string, uint32_t> shard_of;
  for (size_t i = 0; i < b.view().seriesCount(); ++i)
    shard_of[std::string(b.view().label(i, "s"))] =
        static_cast<uint32_t>(b.view().series(i).hash % 4);
  auto entries = encodeShards(b.view(), 4, 1000);
  size_t total = 0;
  std::map<uint32_t, int> used;
  for (const auto& e : entries) {
    for (const auto& [s, ts] : decode(e.payload).samples) EXPECT_EQ(shard_of[s], e.shard) << s;
    total += e.samples;
    used[e.shard]++;
  }
  EXPECT_EQ(total, 80u);
  EXPECT_GT(used.size(), 1u) << "40 series should not all hash to one shard";
}

TEST(ShardEncoderTest, AppliesWriteRelabelConfigs) {
  std::string err;
  relabel::Rule drop;
  drop.source_labels = {"s"};
  drop.regex = relabel::compileAnchored("1", &err);
  drop.action = relabel::Action::kDrop;
  relabel::Rule env;
  env.regex = relabel::compileAnchored("(.*)", &err);
  env.target_label = "env";
  env.replacement = "prod";
  std::vector<relabel::Rule> rules = {drop, env};
  sdk::OwnedBatch b(makeBatch(3, 2, 0));
  uint64_t dropped = 0;
  auto entries = encodeShards(b.view(), 2, 1000, &rules, &dropped);
  EXPECT_EQ(dropped, 2u);
  size_t samples = 0;
  for (const auto& e : entries) {
    prometheus::WriteRequest r;
    ASSERT_TRUE(r.ParseFromString(e.payload));
    for (const auto& ts : r.timeseries()) {
      ASSERT_EQ(ts.labels_size(), 3);
      EXPECT_EQ(ts.labels(1).name(), "env");
      EXPECT_EQ(ts.labels(1).value(), "prod");
      EXPECT_NE(ts.labels(2).value(), "1");
      samples += ts.samples_size();
    }
  }
  EXPECT_EQ(samples, 4u);
}

}  // namespace
}  // namespace strata::rwexporter
