// mergeSeries: the series of the blocks and the head, one per label set in label order, the
// chunks of equal label sets in part order (blocks first), whatever order the head has.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "query/series_set.h"

namespace strata::block_store {
namespace {

SeriesData series(const std::string& name, const std::string& value, int64_t chunk_min_t) {
  SeriesData d;
  d.labels = {{"__name__", name}, {"i", value}};
  ChunkSpec c;
  c.min_t = chunk_min_t;
  d.chunks.push_back(c);
  return d;
}

TEST(MergeSeries, OneSeriesPerLabelSetInOrderWithChunksInPartOrder) {
  std::mt19937 rng(3);
  std::vector<std::vector<SeriesData>> parts(3);
  // Two blocks in label order, each with every other series; the head shuffled.
  std::vector<int> ids(200);
  for (int i = 0; i < 200; ++i) ids[i] = i;
  for (int p = 0; p < 2; ++p) {
    for (int i : ids) {
      if (i % 2 == p) parts[p].push_back(series("m", std::to_string(1000 + i), 100 * p));
    }
  }
  std::shuffle(ids.begin(), ids.end(), rng);
  for (int i : ids) parts[2].push_back(series("m", std::to_string(1000 + i), 900));
  parts[1].push_back(
      series(std::string("m\0x", 3), "1", 5));  // a NUL inside a label sorts as a byte
  auto out = mergeSeries(std::move(parts));
  ASSERT_EQ(out.size(), 201u);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(out[i].labels[1].second, std::to_string(1000 + i));
    ASSERT_EQ(out[i].chunks.size(), 2u);
    EXPECT_EQ(out[i].chunks[0].min_t, 100 * (i % 2));  // the block's chunk first
    EXPECT_EQ(out[i].chunks[1].min_t, 900);            // then the head's
  }
  EXPECT_EQ(out[200].labels[0].second, std::string("m\0x", 3));
}

}  // namespace
}  // namespace strata::block_store
