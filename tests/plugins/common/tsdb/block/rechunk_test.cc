// Re-cutting a series' chunks into larger ones when a block is written (rechunk.h).
#include "tsdb/block/rechunk.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

#include "test_util.h"
#include "tsdb/block/block_reader.h"
#include "tsdb/block/block_writer.h"

namespace strata::tsdb {
namespace {

using testing::decodeAll;
using testing::makeChunks;
using testing::Sample;
using testing::TempDir;

std::vector<Sample> series(int n, int64_t t0 = 1'700'000'000'000) {
  std::vector<Sample> out;
  for (int i = 0; i < n; ++i) out.push_back({t0 + i * 15'000 + (i % 5 == 0 ? 2 : 0), i * 0.75});
  return out;
}

std::vector<Sample> decodeChunks(const std::vector<ChunkData>& chunks) {
  std::vector<Sample> out;
  for (const auto& c : chunks) {
    bool ok = false;
    auto s = decodeAll(c.xor_bytes.data(), c.xor_bytes.size(), &ok);
    EXPECT_TRUE(ok);
    EXPECT_EQ(s.front().t, c.min_time);
    EXPECT_EQ(s.back().t, c.max_time);
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}

void expectBitExact(const std::vector<Sample>& got, const std::vector<Sample>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].t, want[i].t) << i;
    ASSERT_EQ(std::bit_cast<uint64_t>(got[i].v), std::bit_cast<uint64_t>(want[i].v)) << i;
  }
}

std::vector<size_t> counts(const std::vector<ChunkData>& chunks) {
  std::vector<size_t> out;
  for (const auto& c : chunks) out.push_back(XorIterator(c.xor_bytes.data(), 2).numSamples());
  return out;
}

TEST(Rechunk, MergesHeadChunksIntoLargerOnes) {
  auto samples = series(480);
  auto in = makeChunks(samples);  // 4 x 120, as a head cuts them
  ASSERT_EQ(in.size(), 4u);
  auto out = rechunk(in, 240);
  EXPECT_EQ(counts(out), (std::vector<size_t>{240, 240}));
  expectBitExact(decodeChunks(out), samples);
  size_t in_bytes = 0, out_bytes = 0;
  for (const auto& c : in) in_bytes += c.xor_bytes.size();
  for (const auto& c : out) out_bytes += c.xor_bytes.size();
  EXPECT_LE(out_bytes, in_bytes);  // one first-sample header fewer per merge
}

TEST(Rechunk, SpreadsSamplesEvenly) {
  auto samples = series(250);
  auto out = rechunk(makeChunks(samples), 240);  // 120 + 120 + 10 in
  EXPECT_EQ(counts(out), (std::vector<size_t>{125, 125}));
  expectBitExact(decodeChunks(out), samples);
  samples = series(500);
  out = rechunk(makeChunks(samples, 500), 120);  // a chunk too large is split
  EXPECT_EQ(counts(out), (std::vector<size_t>{100, 100, 100, 100, 100}));
  expectBitExact(decodeChunks(out), samples);
}

TEST(Rechunk, LeavesChunksAloneWhenNothingIsGained) {
  auto in = makeChunks(series(250));  // 120 + 120 + 10: already the fewest chunks of <= 120
  auto out = rechunk(in, 120);
  ASSERT_EQ(out.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) EXPECT_EQ(out[i].xor_bytes, in[i].xor_bytes);
  out = rechunk(in, 0);
  EXPECT_EQ(out.size(), 3u);
  auto one = makeChunks(series(100));
  EXPECT_EQ(rechunk(one, 240)[0].xor_bytes, one[0].xor_bytes);
}

TEST(Rechunk, SpecialValuesAndTheLargestChunk) {
  std::vector<Sample> samples;
  const double stale = std::bit_cast<double>(uint64_t{0x7ff0000000000002});
  const double specials[] = {stale,  std::numeric_limits<double>::infinity(),  -0.0,
                             0.0,    std::numeric_limits<double>::quiet_NaN(), 1e308,
                             -1e-308};
  for (int i = 0; i < 70'000; ++i) samples.push_back({-1000 + i * 10LL, specials[i % 7]});
  auto out = rechunk(makeChunks(samples), 100'000);  // capped at 65535 per chunk
  EXPECT_EQ(counts(out), (std::vector<size_t>{35'000, 35'000}));
  expectBitExact(decodeChunks(out), samples);
}

TEST(Rechunk, CorruptChunkIsWrittenAsItIs) {
  auto in = makeChunks(series(240));
  in[1].xor_bytes.resize(in[1].xor_bytes.size() / 2);  // claims 120 samples, holds fewer
  auto out = rechunk(in, 240);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].xor_bytes, in[1].xor_bytes);
}

TEST(Rechunk, BlockWriterOption) {
  TempDir dir;
  std::map<LabelSet, std::vector<Sample>> data;
  for (int s = 0; s < 20; ++s) data[{{"__name__", "m"}, {"i", std::to_string(s)}}] = series(240);
  BlockWriter w(dir.path(), {}, "test", BlockWriterOptions{240});
  for (const auto& [ls, s] : data) w.addSeries(ls, makeChunks(s));
  auto r = BlockReader::open(w.finish());
  EXPECT_EQ(r->meta().num_chunks, 20u);  // was 40 chunks of 120
  EXPECT_EQ(r->meta().num_samples, 20u * 240);
  for (uint64_t ref : r->postings("", "")) {
    LabelSet ls;
    std::vector<ChunkRef> refs;
    ASSERT_TRUE(r->series(ref, &ls, &refs));
    ASSERT_EQ(refs.size(), 1u);
    const uint8_t* d;
    size_t n;
    ASSERT_TRUE(r->chunk(refs[0].ref, &d, &n));
    expectBitExact(decodeAll(d, n), data.at(ls));
  }
}

}  // namespace
}  // namespace strata::tsdb
