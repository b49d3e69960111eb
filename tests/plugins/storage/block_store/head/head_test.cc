#include "head/head.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <random>

#include "query/sample_iterator.h"

namespace strata::block_store {
namespace {

AppendStats appendOne(Head& head, const std::vector<std::pair<int64_t, double>>& samples,
                      AppendRecord* rec, const std::string& job = "a") {
  sdk::BatchBuilder b("t");
  b.beginSeries({{"__name__", "m"}, {"job", job}});
  for (auto [t, v] : samples) b.addSample(t, v);
  sdk::OwnedBatch batch(b.finish());
  return head.append(batch.view(), rec);
}

std::vector<std::pair<int64_t, double>> readAll(const Head& head) {
  std::vector<std::pair<int64_t, double>> out;
  for (auto& s : head.select({}, INT64_MIN, INT64_MAX)) {
    SampleIterator it(std::move(s.chunks), INT64_MIN, INT64_MAX);
    int64_t t;
    double v;
    while (it.next(&t, &v) == 1) out.emplace_back(t, v);
  }
  return out;
}

TEST(Head, InOrderAppendCutsChunksAt120) {
  Head head({3600 * 1000, 0, ""});
  AppendRecord rec;
  std::vector<std::pair<int64_t, double>> in;
  for (int i = 0; i < 300; ++i) in.emplace_back(1000 + i * 15, i * 1.5);
  auto st = appendOne(head, in, &rec);
  EXPECT_EQ(st.appended, 300u);
  EXPECT_EQ(st.bad(), 0u);
  ASSERT_EQ(rec.series.size(), 1u);  // series record rides with the first write
  EXPECT_EQ(rec.samples.size(), 300u);
  auto sel = head.select({}, INT64_MIN, INT64_MAX);
  ASSERT_EQ(sel.size(), 1u);
  EXPECT_EQ(sel[0].chunks.size(), 3u);  // 120 + 120 + 60
  EXPECT_EQ(readAll(head), in);
  head.markDurable(rec);
  AppendRecord rec2;
  appendOne(head, {{100000, 1}}, &rec2);
  EXPECT_TRUE(rec2.series.empty());  // durable now: no second series record
}

TEST(Head, SealedChunksLiveInTheChunkFileAndReadBackExactly) {
  auto dir = std::filesystem::temp_directory_path() /
             ("strata-head-chunks-" + std::to_string(std::random_device{}()));
  {
    Head head({3600 * 1000, 0, dir.string()});
    AppendRecord rec;
    std::vector<std::pair<int64_t, double>> in;
    for (int i = 0; i < 500; ++i) in.emplace_back(1000 + i * 15'000, i * 0.37);
    appendOne(head, in, &rec);
    EXPECT_EQ(readAll(head), in);
    // Four sealed chunks are on disk, not in the heap; the open one is in memory.
    auto m = head.memory();
    EXPECT_GT(m.sealed_used, 0u);
    EXPECT_LT(m.sealed_chunks, m.sealed_used);
    size_t on_disk = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) on_disk += e.file_size();
    EXPECT_EQ(on_disk, m.sealed_used);
    // A cut reads them back for the block and drops the segments it covered.
    auto series = head.collect(0, 3600 * 1000);
    ASSERT_EQ(series.size(), 1u);
    size_t samples = 0;
    for (const auto& c : series[0].second) samples += (c.xor_bytes[0] << 8) | c.xor_bytes[1];
    EXPECT_EQ(samples, 240u);  // 1000 + k * 15 s < 1 h
    head.dropBefore(3600 * 1000);
    std::vector<std::pair<int64_t, double>> rest(in.begin() + 240, in.end());
    EXPECT_EQ(readAll(head), rest);
  }
  EXPECT_FALSE(std::filesystem::exists(dir));  // a cache: removed with the head
}

TEST(Head, OutOfOrderAndDuplicates) {
  Head head({3600 * 1000, 0, ""});
  AppendRecord rec;
  appendOne(head, {{1000, 1}, {2000, 2}}, &rec);
  AppendRecord r2;
  auto st = appendOne(head, {{1500, 9}, {2000, 2}, {2000, 3}, {3000, 4}}, &r2);
  EXPECT_EQ(st.out_of_order, 1u);
  EXPECT_EQ(st.ignored, 1u);  // same timestamp, same value: silently dropped
  EXPECT_EQ(st.duplicate, 1u);
  EXPECT_EQ(st.appended, 1u);
  EXPECT_EQ(r2.samples, (std::vector<AppendRecord::RefSample>{{r2.samples.at(0).ref, 3000, 4}}));
  EXPECT_EQ(readAll(head), (std::vector<Sample>{{1000, 1}, {2000, 2}, {3000, 4}}));
}

TEST(Head, OutOfOrderWindow) {
  Head head({3600 * 1000, 10'000, ""});
  AppendRecord rec;
  appendOne(head, {{100'000, 1}, {120'000, 2}}, &rec);
  AppendRecord r2;
  auto st = appendOne(head, {{115'000, 5}, {109'000, 6}, {115'000, 5}, {115'000, 7}}, &r2);
  EXPECT_EQ(st.appended, 1u);  // 115000 within the window
  EXPECT_EQ(st.too_old, 1u);   // 109000 is more than 10s behind 120000
  EXPECT_EQ(st.ignored, 1u);
  EXPECT_EQ(st.duplicate, 1u);
  EXPECT_EQ(readAll(head), (std::vector<Sample>{{100'000, 1}, {115'000, 5}, {120'000, 2}}));
}

TEST(Head, LabelValuesBySealedOpenAndOutOfOrderData) {
  Head head({3600 * 1000, 60'000, ""});
  AppendRecord rec;
  std::vector<std::pair<int64_t, double>> a;  // sealed chunks 0..119 s, 120..239 s, open 240..
  for (int i = 0; i < 250; ++i) a.emplace_back(i * 1000, i);
  appendOne(head, a, &rec, "a");
  appendOne(head, {{400'000, 1}}, &rec, "b");
  appendOne(head, {{350'000, 2}}, &rec, "b");  // out of order, within the window
  using V = std::vector<std::string>;
  EXPECT_EQ(head.labelValues("job", {}, 0, 500'000), (V{"a", "b"}));
  EXPECT_EQ(head.labelValues("job", {}, 130'000, 130'000), V{"a"});  // second sealed chunk
  EXPECT_EQ(head.labelValues("job", {}, 245'000, 300'000), V{"a"});  // open chunk
  EXPECT_EQ(head.labelValues("job", {}, 260'000, 349'999), V{});
  EXPECT_EQ(head.labelValues("job", {}, 350'000, 350'000), V{"b"});  // out-of-order sample
  EXPECT_EQ(head.labelValues("job", {}, 350'001, 399'999), V{});
  EXPECT_EQ(head.labelValues("job", {}, 400'000, 400'000), V{"b"});
  EXPECT_EQ(head.labelNames({}, 350'001, 399'999), V{});
  EXPECT_EQ(head.labelNames({}, -10, 0), (V{"__name__", "job"}));
  EXPECT_EQ(head.labelNames({}, 400'001, INT64_MAX), V{});
}

TEST(Head, StaleNaNIsKeptBitExact) {
  Head head({3600 * 1000, 0, ""});
  AppendRecord rec;
  appendOne(head, {{1, 1}, {2, sdk::staleNaN()}}, &rec);
  AppendRecord r2;
  auto st = appendOne(head, {{2, sdk::staleNaN()}}, &r2);
  EXPECT_EQ(st.ignored, 1u);
  auto all = readAll(head);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(sdk::isStaleNaN(all[1].second));
}

TEST(Head, ReplayIsIdempotent) {
  Head head({3600 * 1000, 0, ""});
  head.replaySeries(3, {{"__name__", "m"}, {"job", "a"}});
  head.replaySample(3, 10, 1);
  head.replaySample(3, 20, 2);
  head.replaySample(3, 10, 1);  // replayed twice: still once
  head.replaySample(3, 15, 7);  // was accepted out of order once: kept
  EXPECT_EQ(readAll(head), (std::vector<Sample>{{10, 1}, {15, 7}, {20, 2}}));
  // A live append for the same labels finds the replayed series.
  AppendRecord rec;
  appendOne(head, {{30, 3}}, &rec);
  EXPECT_EQ(head.numSeries(), 1u);
  EXPECT_TRUE(rec.series.empty());
  EXPECT_EQ(rec.samples[0].ref, 3u);
}

TEST(Head, CutRangeFollowsPrometheusRule) {
  const int64_t bd = 60'000;
  Head head({bd, 0, ""});
  AppendRecord rec;
  std::vector<Sample> in;
  for (int64_t t = 0; t <= 90'000; t += 1000) in.emplace_back(t, double(t));
  appendOne(head, in, &rec);
  int64_t lo, hi;
  EXPECT_FALSE(head.nextCutRange(&lo, &hi));  // spans exactly 1.5x: not yet
  AppendRecord r2;
  appendOne(head, {{91'000, 1}}, &r2);
  ASSERT_TRUE(head.nextCutRange(&lo, &hi));
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, bd);
  auto series = head.collect(lo, hi);
  ASSERT_EQ(series.size(), 1u);
  size_t n = 0;
  for (const auto& c : series[0].second) {
    EXPECT_LT(c.max_time, hi);
    tsdb::XorIterator it(c.xor_bytes.data(), c.xor_bytes.size());
    while (it.next()) ++n;
  }
  EXPECT_EQ(n, 60u);
  AppendRecord r3;
  EXPECT_EQ(appendOne(head, {{59'500, 1}}, &r3, "b").too_old, 1u);  // range is frozen
  head.dropBefore(hi);
  EXPECT_EQ(head.minTime(), bd);
  EXPECT_EQ(readAll(head).size(), 32u);
}

}  // namespace
}  // namespace strata::block_store
