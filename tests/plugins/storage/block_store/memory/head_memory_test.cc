// The head's per-series memory budget, from its own accounting (Head::memory(), deterministic,
// unlike RSS): 2,000 series x 240 samples of counters and gauges with decimals, sealed chunks
// on disk. What a series costs beyond its encoded open-chunk bytes must stay small; the issue's
// budget for the whole process is ~2 KB/series.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "head/head.h"

namespace strata::block_store {
namespace {

void fill(Head& head, int series, int samples) {
  std::mt19937_64 rng(7);
  std::vector<double> values(series, 0);
  for (int k = 0; k < samples; ++k) {
    sdk::BatchBuilder b;
    for (int s = 0; s < series; ++s) {
      values[s] += s % 2 ? std::round(rng() % 100000 / 10.0) / 100 : (rng() % 5) + 0.25;
      b.beginSeries({{"__name__", "metric_" + std::to_string(s % 10)},
                     {"instance", "host-" + std::to_string(s % 50)},
                     {"series_id", std::to_string(s)}});
      b.addSample(1'700'000'000'000 + k * 15'000, values[s]);
    }
    sdk::OwnedBatch batch(b.finish());
    AppendRecord rec;
    head.append(batch.view(), &rec);
    head.markDurable(rec);
  }
}

TEST(HeadMemory, PerSeriesOverheadStaysSmall) {
  auto dir = std::filesystem::temp_directory_path() /
             ("strata-head-mem-" + std::to_string(std::random_device{}()));
  const int kSeries = 2000;
  {
    Head head({2 * 3600 * 1000, 0, dir.string()});
    fill(head, kSeries, 240);
    HeadMemory m = head.memory();
    ASSERT_EQ(m.series, size_t{kSeries});
    EXPECT_GT(m.sealed_used, 0u);
    // Sealed chunk bytes are on disk: in memory only their index.
    EXPECT_LT(m.sealed_chunks / kSeries, 120u) << m.sealed_chunks / kSeries;
    // Everything but the encoded open-chunk bytes: series, labels, postings, symbols, hash
    // index, open-chunk slack and sealed-chunk index.
    size_t overhead = (m.total() - m.open_used) / kSeries;
    EXPECT_LT(overhead, 700u) << "head overhead per series: " << overhead << " B";
    std::printf("head per series: total %zu B, overhead %zu B\n", m.total() / kSeries, overhead);
    // Sealing everything empties the head (head GC).
    auto series = head.collect(INT64_MIN, INT64_MAX);
    EXPECT_EQ(series.size(), size_t{kSeries});
    head.dropBefore(INT64_MAX);
    EXPECT_EQ(head.numSeries(), 0u);
    // The symbols went with them (a rebuild) and so did the series table's pages; what stays
    // is bucket arrays and the page directory.
    EXPECT_EQ(head.numSymbols(), 0u);
    EXPECT_LT(head.memory().total() / kSeries, 16u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace strata::block_store
