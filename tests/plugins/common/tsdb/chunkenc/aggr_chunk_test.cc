#include "tsdb/chunkenc/aggr_chunk.h"

#include <gtest/gtest.h>

#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::tsdb {
namespace {

std::vector<uint8_t> xorOf(std::vector<std::pair<int64_t, double>> s) {
  XorAppender a;
  for (auto [t, v] : s) a.append(t, v);
  return a.bytes();
}

TEST(AggrChunk, RoundTripAllAggregates) {
  std::array<AggrPart, kAggrTypes> parts;
  for (size_t i = 0; i < kAggrTypes; ++i)
    parts[i] = {kEncXor, xorOf({{299'999, double(i)}, {599'999, double(i) + 0.5}})};
  auto bytes = encodeAggrChunk(parts);
  AggrChunkView v;
  std::string err;
  ASSERT_TRUE(v.parse(bytes.data(), bytes.size(), &err)) << err;
  for (size_t i = 0; i < kAggrTypes; ++i) {
    auto t = AggrType(i);
    ASSERT_TRUE(v.has(t));
    EXPECT_EQ(v.encoding(t), kEncXor);
    ASSERT_EQ(std::vector<uint8_t>(v.data(t), v.data(t) + v.size(t)), parts[i].data);
    XorIterator it(v.data(t), v.size(t));
    ASSERT_TRUE(it.next());
    EXPECT_EQ(it.t(), 299'999);
    EXPECT_EQ(it.v(), double(i));
  }
}

// Thanos' framing, byte by byte: per aggregate (count, sum, min, max, counter) a uvarint
// length, then (length > 0 only) the encoding byte and the data; absent = one 0x00.
TEST(AggrChunk, ByteLevelFixture) {
  std::array<AggrPart, kAggrTypes> parts;
  parts[0] = {kEncXor, {0xAA, 0xBB}};
  parts[3] = {kEncXor, std::vector<uint8_t>(130, 0x11)};  // a two-byte uvarint: 0x82 0x01
  auto bytes = encodeAggrChunk(parts);
  std::vector<uint8_t> want = {0x02, 0x01, 0xAA, 0xBB, 0x00, 0x00, 0x82, 0x01, 0x01};
  want.insert(want.end(), 130, 0x11);
  want.push_back(0x00);
  EXPECT_EQ(bytes, want);

  AggrChunkView v;
  std::string err;
  ASSERT_TRUE(v.parse(want.data(), want.size(), &err)) << err;
  EXPECT_TRUE(v.has(AggrType::kCount));
  EXPECT_FALSE(v.has(AggrType::kSum));
  EXPECT_FALSE(v.has(AggrType::kMin));
  EXPECT_TRUE(v.has(AggrType::kMax));
  EXPECT_EQ(v.size(AggrType::kMax), 130u);
  EXPECT_FALSE(v.has(AggrType::kCounter));
}

TEST(AggrChunk, TruncatedAndTrailingRejected) {
  std::array<AggrPart, kAggrTypes> parts;
  parts[1] = {kEncXor, xorOf({{1, 2}})};
  auto bytes = encodeAggrChunk(parts);
  AggrChunkView v;
  std::string err;
  for (size_t n = 0; n < bytes.size(); ++n) EXPECT_FALSE(v.parse(bytes.data(), n, &err)) << n;
  bytes.push_back(0);
  EXPECT_FALSE(v.parse(bytes.data(), bytes.size(), &err));
  EXPECT_NE(err.find("trailing"), std::string::npos);
}

}  // namespace
}  // namespace strata::tsdb
