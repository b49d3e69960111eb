#include "head/series_table.h"

#include <gtest/gtest.h>

namespace strata::block_store {
namespace {

std::vector<uint32_t> idsOf(const SeriesTable& t) {
  std::vector<uint32_t> out;
  t.forEach([&](uint32_t id, const MemSeries& s) {
    EXPECT_EQ(s.label_count, id);  // each test series carries its id there
    out.push_back(id);
  });
  return out;
}

void put(SeriesTable& t, uint32_t id) {
  auto s = std::make_unique<MemSeries>();
  s->label_count = id;
  t.put(id, std::move(s));
}

TEST(SeriesTable, FindsByIdAndIteratesInIdOrder) {
  SeriesTable t;
  EXPECT_EQ(t[0], nullptr);
  EXPECT_EQ(t[123456], nullptr);
  for (uint32_t id : {5u, 0u, 700u, 256u}) put(t, id);
  EXPECT_EQ(t.endId(), 701u);
  ASSERT_NE(t[700], nullptr);
  EXPECT_EQ(t[700]->label_count, 700u);
  EXPECT_EQ(t[6], nullptr);
  EXPECT_EQ(idsOf(t), (std::vector<uint32_t>{0, 5, 256, 700}));
  t.erase(5);
  t.erase(5);    // absent: nothing happens
  t.erase(999);  // beyond every page: nothing happens
  EXPECT_EQ(t[5], nullptr);
  EXPECT_EQ(idsOf(t), (std::vector<uint32_t>{0, 256, 700}));
  EXPECT_EQ(t.endId(), 701u);  // ids are never handed out twice
}

TEST(SeriesTable, MemoryFollowsTheLiveSeriesUnderChurn) {
  SeriesTable t;
  put(t, 0);  // one long-lived series
  uint32_t next = 1;
  size_t after_first_round = 0;
  for (int round = 0; round < 50; ++round) {
    std::vector<uint32_t> batch;
    for (int i = 0; i < 10'000; ++i) {
      put(t, next);
      batch.push_back(next++);
    }
    for (uint32_t id : batch) t.erase(id);
    if (round == 0) after_first_round = t.memoryBytes();
  }
  EXPECT_EQ(idsOf(t), std::vector<uint32_t>{0});
  // 500,000 ids handed out: only the page directory grew (8 B per 256 ids), not a slot per id.
  EXPECT_LT(t.memoryBytes(), after_first_round + 500'000 / 256 * 8 * 2);
  EXPECT_LT(t.memoryBytes(), 20'000u);
}

}  // namespace
}  // namespace strata::block_store
