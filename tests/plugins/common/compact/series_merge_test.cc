// The series merge across blocks: label order, chunks passed through when blocks sit side by
// side, samples merged by timestamp (one per timestamp, earlier source wins) when they
// overlap; a corrupt source is named.
#include "compact/series_merge.h"

#include <gtest/gtest.h>

#include <fstream>

#include "block_fixture.h"
#include "compact/source_block.h"

namespace strata::compact {
namespace {

using namespace testing;

const tsdb::LabelSet kA = {{"__name__", "up"}, {"job", "a"}};
const tsdb::LabelSet kB = {{"__name__", "up"}, {"job", "b"}};
const tsdb::LabelSet kC = {{"__name__", "load"}, {"job", "a"}};

Data mergeAll(const std::vector<std::string>& dirs, MergeStats* stats = nullptr) {
  std::vector<std::unique_ptr<tsdb::BlockReader>> readers;
  std::vector<const tsdb::BlockReader*> ptrs;
  for (const auto& d : dirs) {
    readers.push_back(tsdb::BlockReader::open(d));
    ptrs.push_back(readers.back().get());
  }
  SeriesMerger m(ptrs, 100);
  Data out;
  tsdb::LabelSet labels, prev;
  std::vector<tsdb::ChunkData> chunks;
  while (m.next(&labels, &chunks)) {
    if (!prev.empty()) {
      EXPECT_LT(tsdb::compareLabels(prev, labels), 0);
    }
    prev = labels;
    Samples& s = out[labels];
    for (size_t i = 0; i < chunks.size(); ++i) {
      if (i) {
        EXPECT_GT(chunks[i].min_time, chunks[i - 1].max_time);
      }
      tsdb::XorIterator it(chunks[i].xor_bytes.data(), chunks[i].xor_bytes.size());
      while (it.next()) s.push_back({it.t(), it.v()});
      EXPECT_FALSE(it.error());
    }
  }
  if (stats) *stats = m.stats();
  return out;
}

TEST(SeriesMerge, BlocksSideBySidePassChunksThrough) {
  TempDir dir;
  Data d1 = {{kA, samples(0, 2 * kHour, 15000)}, {kC, samples(0, 2 * kHour, 60000, 3)}};
  Data d2 = {{kA, samples(2 * kHour, 4 * kHour, 15000)},
             {kB, samples(2 * kHour, 3 * kHour, 30000)}};
  auto b1 = writeBlock(dir.path(), 0, 2 * kHour, d1);
  auto b2 = writeBlock(dir.path(), 2 * kHour, 4 * kHour, d2);
  MergeStats st;
  Data got = mergeAll({dir.path() + "/" + b1, dir.path() + "/" + b2}, &st);
  EXPECT_EQ(got, unionOf({d1, d2}));
  EXPECT_EQ(st.series, 3u);
  EXPECT_EQ(st.chunks_reencoded, 0u);
  EXPECT_GT(st.chunks_passed, 0u);
}

TEST(SeriesMerge, OverlappingSamplesMergedOncePerTimestamp) {
  TempDir dir;
  // Replica 1 scraped at :00 and :15, replica 2 at :00 (values differ) and :07.
  Data r1 = {{kA, samples(0, kHour, 15000, 0)}};
  Data r2 = {{kA, samples(0, kHour, 15000, 100)}, {kB, samples(0, kHour, 30000)}};
  for (auto& [t, v] : samples(7000, kHour, 15000, 200)) r2[kA].push_back({t, v});
  std::sort(r2[kA].begin(), r2[kA].end());
  auto b1 = writeBlock(dir.path(), 0, 2 * kHour, r1);
  auto b2 = writeBlock(dir.path(), 0, 2 * kHour, r2);
  MergeStats st;
  Data got = mergeAll({dir.path() + "/" + b1, dir.path() + "/" + b2}, &st);
  EXPECT_EQ(got, unionOf({r1, r2}));  // r1 wins on equal timestamps
  EXPECT_EQ(got[kA].size(), 2 * samples(0, kHour, 15000).size());
  EXPECT_EQ(st.samples_deduplicated, samples(0, kHour, 15000).size());
  EXPECT_GT(st.chunks_reencoded, 0u);
}

TEST(SeriesMerge, MergeSamplesCutsChunks) {
  std::vector<PrioritizedSample> in;
  for (int i = 0; i < 250; ++i) in.push_back({int64_t(i) * 10, double(i), 1});
  for (int i = 0; i < 250; i += 2) in.push_back({int64_t(i) * 10, -1.0, 0});
  uint64_t dropped = 0;
  auto chunks = mergeSamples(in, 100, &dropped);
  EXPECT_EQ(dropped, 125u);
  ASSERT_EQ(chunks.size(), 3u);
  tsdb::XorIterator it(chunks[0].xor_bytes.data(), chunks[0].xor_bytes.size());
  ASSERT_TRUE(it.next());
  EXPECT_EQ(it.v(), -1.0);  // priority 0 wins
  ASSERT_TRUE(it.next());
  EXPECT_EQ(it.v(), 1.0);
}

TEST(SeriesMerge, CorruptChunksNameTheBlock) {
  TempDir dir;
  auto b1 = writeBlock(dir.path(), 0, 2 * kHour, {{kA, samples(0, 2 * kHour, 15000)}});
  {
    std::fstream f(dir.path() + "/" + b1 + "/chunks/000001",
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    f.write("garbage!garbage!", 16);
  }
  try {
    mergeAll({dir.path() + "/" + b1});
    FAIL() << "no error";
  } catch (const CorruptBlock& e) {
    EXPECT_EQ(e.ulid(), b1);
  }
}

}  // namespace
}  // namespace strata::compact
