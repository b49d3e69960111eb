// Downsampled blocks in the store gateway: which resolution answers which part of a select's
// range (max_source_resolution, auto = step / 5), no double counting where raw and 5m blocks
// overlap, and aggregate chunks read by the hints' function: min/max/sum/count over
// window-aligned ranges equal the raw answer exactly, and the counter aggregate's increase
// between any two of its samples equals the raw increase (resets applied, none invented at
// chunk or block boundaries).
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "bucket/bucket_factory.h"
#include "compact/downsample.h"
#include "fake_host.h"
#include "gateway_core.h"
#include "test_blocks.h"

namespace strata::store_gateway {
namespace {

using testblocks::TempDir;
constexpr int64_t k5m = 300'000, k1h = 3'600'000, k2h = 2 * k1h, k8h = 8 * k1h;
const tsdb::LabelSet kCounter{{"__name__", "requests_total"}};
const tsdb::LabelSet kGauge{{"__name__", "load"}};

// Raw data over [0, 8h): every 15 s from 7 s (no sample on a window boundary, where
// PromQL's left-open ranges and the windows' left-closed ones would disagree); integer
// values so sums are exact. The counter resets every 100 minutes.
std::vector<Sample> rawSeries(bool counter) {
  std::vector<Sample> out;
  double c = 1000;
  for (int64_t t = 7000, i = 0; t < k8h; t += 15'000, ++i) {
    if (counter) {
      c = (i % 400 == 399) ? double(i % 5) : c + double(i % 7 + 1);
      out.push_back({t, c});
    } else {
      out.push_back({t, double((i * 37) % 101)});
    }
  }
  return out;
}

std::vector<Sample> within(const std::vector<Sample>& s, int64_t lo, int64_t hi) {
  std::vector<Sample> out;
  for (const auto& x : s)
    if (x.t >= lo && x.t <= hi) out.push_back(x);
  return out;
}

std::vector<tsdb::ChunkData> rawChunks(const std::vector<Sample>& s) {
  std::vector<tsdb::ChunkData> out;
  for (size_t i = 0; i < s.size(); i += 120) {
    tsdb::XorAppender app;
    for (size_t j = i; j < std::min(s.size(), i + 120); ++j) app.append(s[j].t, s[j].v);
    out.push_back({app.minTime(), app.maxTime(), app.bytes()});
  }
  return out;
}

std::vector<tsdb::ChunkData> fiveMinute(const std::vector<Sample>& s) {
  std::vector<compact::Sample> in;
  for (const auto& x : s) in.push_back({x.t, x.v});
  return compact::downsampleRaw(in, k5m);
}

// A block of both series over [lo, hi): raw, or downsampled to 5m.
void writeBlock(const std::string& dir, int64_t lo, int64_t hi, int64_t res) {
  tsdb::BlockMeta meta;
  meta.min_time = lo;
  meta.max_time = hi;
  meta.downsample_resolution_ms = res;
  tsdb::BlockWriter w(dir, meta, "test");
  for (const auto& labels : {kGauge, kCounter}) {  // label order: load < requests_total
    auto s = within(rawSeries(labels == kCounter), lo, hi - 1);
    w.addSeries(labels, res ? fiveMinute(s) : rawChunks(s));
  }
  w.finish();
}

class ResolutionTest : public ::testing::Test {
 protected:
  std::unique_ptr<GatewayCore> core() {
    bucket::BucketConfig c;
    c.type = "filesystem";
    c.config["directory"] = dir_.path();
    GatewayOptions o;
    o.bucket = c;
    o.cache_dir = headers_.path();
    auto gw = std::make_unique<GatewayCore>(host_.host(), o, bucket::makeBucket(c));
    gw->sync();
    return gw;
  }
  std::vector<Sample> select(GatewayCore& gw, const tsdb::LabelSet& series, int64_t lo, int64_t hi,
                             ResolutionHints h) {
    auto got =
        gw.select("", {Matcher(STRATA_MATCH_EQ, "__name__", series.at(0).second)}, lo, hi, h);
    return got.empty() ? std::vector<Sample>{} : got[0].samples;
  }

  TempDir dir_, headers_;
  testing::FakeHost host_;
};

TEST(ResolutionPlan, MaxSourceResolutionOrdersTheResolutions) {
  const std::vector<int64_t> all{0, k5m, k1h};
  using V = std::vector<int64_t>;
  EXPECT_EQ(resolutionPreference(all, 0), (V{0, k5m, k1h}));    // raw, then fallback
  EXPECT_EQ(resolutionPreference(all, k5m), (V{k5m, 0, k1h}));  // coarsest usable first
  EXPECT_EQ(resolutionPreference(all, k1h), (V{k1h, k5m, 0}));
  EXPECT_EQ(resolutionPreference({k5m, 0, k5m}, 10 * k5m), (V{k5m, 0}));
  auto eff = [](int64_t max, int64_t step) { return effectiveMaxResolution({max, step, ""}); };
  EXPECT_EQ(eff(0, k1h), 0);                                            // raw whatever the step
  EXPECT_EQ(eff(STRATA_MAX_RESOLUTION_AUTO, 0), 0);                     // instant query: raw
  EXPECT_EQ(eff(STRATA_MAX_RESOLUTION_AUTO, 20 * 60'000), 4 * 60'000);  // < 5m: raw
  EXPECT_EQ(eff(STRATA_MAX_RESOLUTION_AUTO, 25 * 60'000), k5m);         // step 25m: 5m usable
  EXPECT_EQ(resolutionPreference(all, eff(STRATA_MAX_RESOLUTION_AUTO, 5 * k1h))[0], k1h);
}

TEST(ResolutionPlan, EachInstantAnsweredByOneResolution) {
  // raw [0, 2h), 5m [0, 8h), 1h [0, 24h).
  std::vector<PlanBlock> b{{0, k2h, 0}, {0, k8h, k5m}, {0, 24 * k1h, k1h}};
  auto parts = planResolutions(b, 0, 24 * k1h - 1, 0);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].block, 0u);
  EXPECT_EQ(parts[0].min_t, 0);
  EXPECT_EQ(parts[0].max_t, k2h - 1);
  EXPECT_EQ(parts[1].block, 1u);
  EXPECT_EQ(parts[1].min_t, k2h);
  EXPECT_EQ(parts[1].max_t, k8h - 1);
  EXPECT_EQ(parts[2].block, 2u);
  EXPECT_EQ(parts[2].min_t, k8h);
  // 5m allowed: the 5m block answers all it covers, raw nothing, 1h the rest.
  parts = planResolutions(b, 0, 24 * k1h - 1, k5m);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].block, 1u);
  EXPECT_EQ(parts[0].min_t, 0);
  EXPECT_EQ(parts[1].block, 2u);
  EXPECT_EQ(parts[1].min_t, k8h);
  // A raw hole inside 5m: raw [0, 2h) and [4h, 6h): 5m fills [2h, 4h) and [6h, 8h).
  b = {{0, k2h, 0}, {4 * k1h, 6 * k1h, 0}, {0, k8h, k5m}};
  parts = planResolutions(b, k1h, k8h - 1, 0);
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[2].block, 2u);
  EXPECT_EQ(parts[2].min_t, k2h);
  EXPECT_EQ(parts[2].max_t, 4 * k1h - 1);
  EXPECT_EQ(parts[3].min_t, 6 * k1h);
}

TEST_F(ResolutionTest, RawWhereItExistsFiveMinuteElsewhereNoDoubleCounting) {
  writeBlock(dir_.path(), 0, k2h, 0);
  writeBlock(dir_.path(), 0, k8h, k5m);  // the same data, downsampled
  auto gw = core();
  ASSERT_EQ(gw->loadedBlocks().size(), 2u);
  auto raw = rawSeries(false);
  auto got = select(*gw, kGauge, 0, k8h - 1, {});  // raw requested
  auto head = within(got, 0, k2h - 1), tail = within(got, k2h, k8h - 1);
  EXPECT_EQ(head.size(), within(raw, 0, k2h - 1).size());  // raw samples only
  for (size_t i = 0; i < head.size(); ++i) EXPECT_EQ(head[i].v, within(raw, 0, k2h - 1)[i].v);
  EXPECT_EQ(tail.size(), size_t((k8h - k2h) / k5m));  // one average per window
  for (const auto& s : tail) EXPECT_EQ((s.t + 1) % k5m, 0) << s.t;
  // max_source_resolution 5m (or auto at a 1h step): 5m data throughout.
  got = select(*gw, kGauge, 0, k8h - 1, {STRATA_MAX_RESOLUTION_AUTO, k1h, ""});
  EXPECT_EQ(got.size(), size_t(k8h / k5m));
}

// For every hour-aligned range (t - 1h, t], the function over the select's samples.
void expectOverTimeExact(const std::vector<Sample>& got, const std::vector<Sample>& raw,
                         const std::function<double(const std::vector<Sample>&)>& over_got,
                         const std::function<double(const std::vector<Sample>&)>& over_raw) {
  for (int64_t t = k1h; t <= k8h; t += k1h) {
    auto g = within(got, t - k1h + 1, t), r = within(raw, t - k1h + 1, t);
    ASSERT_FALSE(g.empty());
    EXPECT_EQ(over_got(g), over_raw(r)) << "range ending " << t;
  }
}

TEST_F(ResolutionTest, OverTimeFunctionsExactAtWindowAlignedSteps) {
  writeBlock(dir_.path(), 0, k8h, k5m);
  auto gw = core();
  auto raw = rawSeries(false);
  auto mx = [](const std::vector<Sample>& s) {
    double m = s[0].v;
    for (const auto& x : s) m = std::max(m, x.v);
    return m;
  };
  auto mn = [](const std::vector<Sample>& s) {
    double m = s[0].v;
    for (const auto& x : s) m = std::min(m, x.v);
    return m;
  };
  auto sum = [](const std::vector<Sample>& s) {
    double m = 0;
    for (const auto& x : s) m += x.v;
    return m;
  };
  auto count = [](const std::vector<Sample>& s) { return double(s.size()); };
  auto q = [&](const char* f) { return select(*gw, kGauge, 0, k8h - 1, {k5m, k1h, f}); };
  expectOverTimeExact(q("max_over_time"), raw, mx, mx);
  expectOverTimeExact(q("min_over_time"), raw, mn, mn);
  expectOverTimeExact(q("sum_over_time"), raw, sum, sum);
  expectOverTimeExact(q("count_over_time"), raw, count, count);
}

// Prometheus' increase between raw samples a and b (a drop = a restart from 0).
double rawIncrease(const std::vector<Sample>& s, size_t a, size_t b) {
  double inc = 0;
  for (size_t i = a + 1; i <= b; ++i) inc += s[i].v >= s[i - 1].v ? s[i].v - s[i - 1].v : s[i].v;
  return inc;
}

TEST_F(ResolutionTest, CounterIncreaseEqualsRawAcrossChunksAndBlocks) {
  // Two 5m blocks (their counters each restart from the raw value) and resets inside.
  writeBlock(dir_.path(), 0, 4 * k1h, k5m);
  writeBlock(dir_.path(), 4 * k1h, k8h, k5m);
  auto gw = core();
  auto raw = rawSeries(true);
  auto got = select(*gw, kCounter, 0, k8h - 1, {k5m, k1h, "rate"});
  ASSERT_GT(got.size(), size_t(k8h / k5m));
  auto lastRawAtOrBefore = [&](int64_t t) {
    return size_t(std::upper_bound(raw.begin(), raw.end(), t,
                                   [](int64_t x, const Sample& s) { return x < s.t; }) -
                  raw.begin() - 1);
  };
  size_t first = lastRawAtOrBefore(got[0].t);
  for (size_t k = 1; k < got.size(); ++k) {
    EXPECT_GE(got[k].v, got[k - 1].v) << "a fake reset at " << got[k].t;
    EXPECT_EQ(got[k].v - got[0].v, rawIncrease(raw, first, lastRawAtOrBefore(got[k].t)))
        << got[k].t;
  }
}

}  // namespace
}  // namespace strata::store_gateway
