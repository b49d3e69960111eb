#include "compact/downsample.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "tsdb/chunkenc/aggr_chunk.h"

namespace strata::compact {
namespace {

constexpr int kCount = 0, kSum = 1, kMin = 2, kMax = 3, kCounter = 4;

std::vector<Sample> all(const std::vector<tsdb::ChunkData>& chunks, int type) {
  std::vector<Sample> out;
  for (const auto& c : chunks) {
    auto s = decodeAggregate(c, type);
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}

std::vector<std::vector<Sample>> counters(const std::vector<tsdb::ChunkData>& chunks) {
  std::vector<std::vector<Sample>> out;
  for (const auto& c : chunks) out.push_back(decodeAggregate(c, kCounter));
  return out;
}

// Prometheus' increase without extrapolation: deltas, a drop is a restart from 0.
double rawIncrease(const std::vector<Sample>& s) {
  double inc = 0;
  for (size_t i = 1; i < s.size(); ++i) inc += s[i].v >= s[i - 1].v ? s[i].v - s[i - 1].v : s[i].v;
  return inc;
}

double staleNaN() {
  uint64_t bits = 0x7ff0000000000002ull;
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

TEST(Downsample, RawWindowsExact) {
  // 15 s samples over [0, 20m): four 5m windows of 20 samples, value = index.
  std::vector<Sample> raw;
  for (int i = 0; i < 80; ++i) raw.push_back({i * 15'000LL, double(i)});
  auto chunks = downsampleRaw(raw, kRes5m);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].encoding, tsdb::kEncAggr);
  EXPECT_EQ(chunks[0].min_time, 0);
  EXPECT_EQ(chunks[0].max_time, 4 * kRes5m - 1);
  auto count = all(chunks, kCount), sum = all(chunks, kSum), mn = all(chunks, kMin),
       mx = all(chunks, kMax);
  ASSERT_EQ(count.size(), 4u);
  for (int w = 0; w < 4; ++w) {
    EXPECT_EQ(count[w].t, (w + 1) * kRes5m - 1);
    EXPECT_EQ(count[w].v, 20);
    double s = 0;
    for (int i = w * 20; i < w * 20 + 20; ++i) s += i;
    EXPECT_EQ(sum[w].v, s);
    EXPECT_EQ(mn[w].v, w * 20);
    EXPECT_EQ(mx[w].v, w * 20 + 19);
    EXPECT_EQ(sum[w].t, count[w].t);
  }
  // Counter: first raw value, one value per window, the raw last value not advancing.
  auto ctr = decodeAggregate(chunks[0], kCounter);
  ASSERT_EQ(ctr.size(), 6u);
  EXPECT_EQ(ctr.front().t, 0);
  EXPECT_EQ(ctr.front().v, 0);
  EXPECT_EQ(ctr[4].v, 79);
  EXPECT_EQ(ctr.back().t, 79 * 15'000);
  EXPECT_EQ(ctr.back().v, 79);
}

TEST(Downsample, StaleMarkersAndGapsSkipped) {
  std::vector<Sample> raw = {{1000, 5}, {2000, staleNaN()}, {kRes5m * 3 + 7, 9}};
  auto chunks = downsampleRaw(raw, kRes5m);
  auto count = all(chunks, kCount);
  ASSERT_EQ(count.size(), 2u);  // empty windows are not written
  EXPECT_EQ(count[0].v, 1);
  EXPECT_EQ(count[1].t, 4 * kRes5m - 1);
  EXPECT_EQ(all(chunks, kSum)[1].v, 9);
}

TEST(Downsample, ChunksAlignedToWindowRuns) {
  std::vector<Sample> raw;
  for (int64_t t = 0; t < 48 * 3600'000LL; t += 60'000) raw.push_back({t, 1});
  auto chunks = downsampleRaw(raw, kRes5m);  // 576 windows, 120 a chunk
  ASSERT_EQ(chunks.size(), 5u);
  for (size_t i = 1; i < chunks.size(); ++i) {
    EXPECT_GT(chunks[i].min_time, chunks[i - 1].max_time);
    EXPECT_EQ(chunks[i].min_time % (120 * kRes5m), 0);
  }
  EXPECT_EQ(all(chunks, kCount).size(), 576u);
}

// Counters with resets (inside windows, at window and chunk boundaries, between blocks):
// the increase read back through the counter aggregate equals the raw increase, at 5m and
// again at 1h, and the monotone series agrees with the raw one at every window end.
TEST(Downsample, CounterResetsKeepIncrease) {
  std::mt19937_64 rng(7);
  std::vector<Sample> raw;
  double v = 100;
  for (int64_t t = 0; t < 30 * 3600'000LL; t += 15'000) {
    if (rng() % 400 == 0)
      v = double(rng() % 5);  // a reset
    else
      v += double(rng() % 10);
    raw.push_back({t, v});
  }
  // Two "blocks", the second starting with a reset right at its first sample.
  std::vector<Sample> a(raw.begin(), raw.begin() + raw.size() / 2);
  std::vector<Sample> b(raw.begin() + raw.size() / 2, raw.end());
  b[0].v = 1;
  std::vector<Sample> joined = a;
  joined.insert(joined.end(), b.begin(), b.end());
  double want = rawIncrease(joined);

  auto da = downsampleRaw(a, kRes5m), db = downsampleRaw(b, kRes5m);
  auto cs = counters(da);
  auto csb = counters(db);
  cs.insert(cs.end(), csb.begin(), csb.end());
  CounterSeries m = applyCounterResets(cs);
  ASSERT_FALSE(m.samples.empty());
  EXPECT_EQ(m.samples.back().v - m.samples.front().v, want);
  EXPECT_EQ(m.samples.front().v, joined.front().v);
  for (size_t i = 1; i < m.samples.size(); ++i) EXPECT_GE(m.samples[i].v, m.samples[i - 1].v);
  // At each window end the adjusted value is the raw increase up to there (no inflation).
  size_t k = 0;
  double inc = 0;
  for (const auto& s : m.samples) {
    while (k + 1 < joined.size() && joined[k + 1].t <= s.t) {
      inc += joined[k + 1].v >= joined[k].v ? joined[k + 1].v - joined[k].v : joined[k + 1].v;
      ++k;
    }
    EXPECT_EQ(s.v - joined.front().v, inc) << s.t;
  }

  // 5m -> 1h, per block, then read across both.
  auto ha = downsampleAggr(da, kRes1h), hb = downsampleAggr(db, kRes1h);
  auto hc = counters(ha);
  auto hcb = counters(hb);
  hc.insert(hc.end(), hcb.begin(), hcb.end());
  CounterSeries h = applyCounterResets(hc);
  EXPECT_EQ(h.samples.back().v - h.samples.front().v, want);
  for (size_t i = 1; i < h.samples.size(); ++i) EXPECT_GE(h.samples[i].v, h.samples[i - 1].v);
}

TEST(Downsample, AggrTo1hExact) {
  std::mt19937_64 rng(3);
  std::vector<Sample> raw;
  for (int64_t t = 0; t < 12 * 24 * 3600'000LL; t += 60'000)
    raw.push_back({t, double(int64_t(rng() % 2001) - 1000) / 4});
  auto five = downsampleRaw(raw, kRes5m);
  auto hour = downsampleAggr(five, kRes1h);
  auto count = all(hour, kCount), sum = all(hour, kSum), mn = all(hour, kMin), mx = all(hour, kMax);
  ASSERT_EQ(count.size(), size_t(12 * 24));
  for (size_t h = 0; h < count.size(); ++h) {
    double c = 0, s = 0, lo = INFINITY, hi = -INFINITY;
    for (const auto& x : raw)
      if (x.t / kRes1h == int64_t(h)) {
        ++c;
        s += x.v;
        lo = std::min(lo, x.v);
        hi = std::max(hi, x.v);
      }
    EXPECT_EQ(count[h].t, int64_t(h + 1) * kRes1h - 1);
    EXPECT_EQ(count[h].v, c);
    EXPECT_EQ(sum[h].v, s);  // quarters: exact in binary
    EXPECT_EQ(mn[h].v, lo);
    EXPECT_EQ(mx[h].v, hi);
  }
  for (size_t i = 1; i < hour.size(); ++i) EXPECT_GT(hour[i].min_time, hour[i - 1].max_time);
}

TEST(Downsample, CorruptAggregateThrows) {
  tsdb::ChunkData bad{0, 1, {0x05, 0x01, 0x00}, tsdb::kEncAggr};
  EXPECT_THROW(downsampleAggr({bad}, kRes1h), std::runtime_error);
}

}  // namespace
}  // namespace strata::compact
