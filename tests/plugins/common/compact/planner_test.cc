// The leveled planner (Thanos' rules): aligned windows, the newest block waiting, blocks
// crossing a window, overlaps reported vs merged vertically, no-compact blocks left out.
#include "compact/planner.h"

#include <gtest/gtest.h>

#include "block_fixture.h"

namespace strata::compact {
namespace {

using testing::kHour;

tsdb::BlockMeta block(const std::string& ulid, int64_t min_h, int64_t max_h) {
  tsdb::BlockMeta m;
  m.ulid = ulid;
  m.min_time = min_h * kHour;
  m.max_time = max_h * kHour;
  return m;
}

std::vector<std::string> ids(const std::vector<tsdb::BlockMeta>& g) {
  std::vector<std::string> out;
  for (const auto& m : g) out.push_back(m.ulid);
  return out;
}

using V = std::vector<std::string>;

TEST(Planner, FourAlignedBlocksAndANewerOneMakeAnEightHourGroup) {
  std::vector<tsdb::BlockMeta> s = {block("a", 0, 2), block("b", 2, 4), block("c", 4, 6),
                                    block("d", 6, 8), block("e", 8, 10)};
  Plan p = planStream(s, {}, {});
  EXPECT_EQ(ids(p.group), (V{"a", "b", "c", "d"}));
  EXPECT_FALSE(p.vertical);
  EXPECT_TRUE(p.overlaps.empty());
}

TEST(Planner, TheNewestBlockWaits) {
  // [0, 8h) is complete only with d, the newest: it is left out, so nothing is planned yet.
  std::vector<tsdb::BlockMeta> s = {block("a", 0, 2), block("b", 2, 4), block("c", 4, 6),
                                    block("d", 6, 8)};
  EXPECT_TRUE(planStream(s, {}, {}).group.empty());
  // A window ending before the newest remaining block starts is compacted although not full.
  s = {block("a", 0, 2), block("b", 2, 4), block("x", 16, 18), block("y", 18, 20)};
  EXPECT_EQ(ids(planStream(s, {}, {}).group), (V{"a", "b"}));
}

TEST(Planner, HigherLevelsAndMisalignedBlocks) {
  // Six 8h blocks fill [0, 48h): a 2d group (the newest block, at 48h, waits).
  std::vector<tsdb::BlockMeta> s;
  for (int i = 0; i < 6; ++i) s.push_back(block(std::string(1, char('a' + i)), i * 8, i * 8 + 8));
  s.push_back(block("z", 48, 50));
  EXPECT_EQ(ids(planStream(s, {}, {}).group), (V{"a", "b", "c", "d", "e", "f"}));
  // A block crossing the 8h boundary is not grouped at 8h; the window after it is.
  s = {block("a", 6, 10),  block("b", 10, 12), block("c", 12, 14),
       block("d", 14, 16), block("e", 16, 18), block("f", 18, 20)};
  EXPECT_EQ(ids(planStream(s, {}, {}).group), (V{"b", "c", "d"}));
  // Custom ranges.
  PlannerOptions o;
  o.ranges = {kHour, 4 * kHour};
  s = {block("a", 0, 1), block("b", 1, 2), block("c", 2, 3), block("d", 3, 4), block("e", 4, 5)};
  EXPECT_EQ(ids(planStream(s, {}, o).group), (V{"a", "b", "c", "d"}));
}

TEST(Planner, OverlapsAreReportedAndSkippedWithoutVerticalCompaction) {
  std::vector<tsdb::BlockMeta> s = {block("a", 0, 2),   block("a2", 1, 3),  block("b", 8, 10),
                                    block("c", 10, 12), block("d", 12, 14), block("e", 14, 16),
                                    block("f", 16, 18)};
  Plan p = planStream(s, {}, {});
  ASSERT_EQ(p.overlaps.size(), 1u);
  EXPECT_EQ(ids(p.overlaps[0]), (V{"a", "a2"}));
  EXPECT_EQ(ids(p.group), (V{"b", "c", "d", "e"}));  // the rest is still planned

  PlannerOptions vertical;
  vertical.vertical_compaction = true;
  p = planStream(s, {}, vertical);
  EXPECT_TRUE(p.overlaps.empty());
  EXPECT_TRUE(p.vertical);
  EXPECT_EQ(ids(p.group), (V{"a", "a2"}));
}

TEST(Planner, FirstOverlapCollectsAChain) {
  std::vector<tsdb::BlockMeta> s = {block("a", 0, 4), block("b", 2, 6), block("c", 5, 8),
                                    block("d", 8, 10), block("e", 9, 12)};
  EXPECT_EQ(ids(firstOverlap(s)), (V{"a", "b", "c"}));
}

TEST(Planner, NoCompactBlocksAreLeftOut) {
  std::vector<tsdb::BlockMeta> s = {block("a", 0, 2), block("b", 2, 4), block("c", 4, 6),
                                    block("d", 6, 8), block("e", 8, 10)};
  EXPECT_EQ(ids(planStream(s, {"b"}, {}).group), (V{"a", "c", "d"}));
  // Overlapping no-compact blocks are not an overlap.
  s.push_back(block("b2", 2, 4));
  std::sort(s.begin(), s.end(), [](auto& x, auto& y) { return x.min_time < y.min_time; });
  EXPECT_TRUE(planStream(s, {"b2"}, {}).overlaps.empty());
}

TEST(Planner, ChecksRanges) {
  EXPECT_EQ(checkRanges(kDefaultRanges), "");
  EXPECT_NE(checkRanges({}), "");
  EXPECT_NE(checkRanges({2 * kHour, 3 * kHour}), "");
  EXPECT_NE(checkRanges({2 * kHour, 2 * kHour}), "");
  EXPECT_NE(checkRanges({0}), "");
}

}  // namespace
}  // namespace strata::compact
