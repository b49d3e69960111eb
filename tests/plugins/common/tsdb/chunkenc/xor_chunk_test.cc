// XOR chunk tests. Expected bytes are derived by hand from the layout in Prometheus'
// tsdb/docs/format/chunks.md (and its reference encoder's bucket rules), not from our encoder.
#include "tsdb/chunkenc/xor_chunk.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "test_util.h"

namespace strata::tsdb {
namespace {

using testing::decodeAll;
using testing::Sample;

std::vector<uint8_t> encode(const std::vector<Sample>& s) {
  XorAppender a;
  for (const auto& x : s) a.append(x.t, x.v);
  return a.bytes();
}

// Writes spec fields MSB first, to build expected chunks field by field.
struct Bits {
  std::vector<uint8_t> bytes;
  int used = 8;
  Bits& add(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) {
      if (used == 8) {
        bytes.push_back(0);
        used = 0;
      }
      if ((v >> i) & 1) bytes.back() |= uint8_t(0x80 >> used);
      ++used;
    }
    return *this;
  }
  Bits& byte(uint8_t b) { return add(b, 8); }
  Bits& f64(double d) { return add(std::bit_cast<uint64_t>(d), 64); }
};

TEST(XorChunk, KnownBytesSingleSample) {
  // count=1 | varint(1000) = zigzag 2000 = D0 0F | 1.0 = 3FF0000000000000 | 00. The last
  // byte is not padding: Prometheus' bit stream writes whole bytes with a byte write that
  // always appends the next byte, so a stream ending aligned after one carries an empty byte
  // (a one-sample Prometheus chunk is 13 bytes; promtool_test checks this against real blocks).
  std::vector<uint8_t> want = {0x00, 0x01, 0xD0, 0x0F, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x00};
  EXPECT_EQ(encode({{1000, 1.0}}), want);
}

TEST(XorChunk, KnownBytesTwoSamplesSameValue) {
  // ... | uvarint(1000) = E8 07 | value unchanged: one 0 bit, padded -> 00
  std::vector<uint8_t> want = {0x00, 0x02, 0xD0, 0x0F, 0x3F, 0xF0, 0,   0,
                               0,    0,    0,    0,    0xE8, 0x07, 0x00};
  EXPECT_EQ(encode({{1000, 1.0}, {2000, 1.0}}), want);
}

TEST(XorChunk, KnownBytesThreeSamplesNewWindow) {
  // Sample 2: value bit 0. Sample 3: dod 0 -> "0"; 1.0^2.0 = 7FF0000000000000: leading 1,
  // trailing 52 -> "11" 00001 001011 11111111111. Bits: 0 0 11 00001 001011 11111111111
  // = 00110000 10010111 11111111 11(000000) -> 30 97 FF C0.
  std::vector<uint8_t> want = {0x00, 0x03, 0xD0, 0x0F, 0x3F, 0xF0, 0,    0,    0,
                               0,    0,    0,    0xE8, 0x07, 0x30, 0x97, 0xFF, 0xC0};
  EXPECT_EQ(encode({{1000, 1.0}, {2000, 1.0}, {3000, 2.0}}), want);
}

TEST(XorChunk, KnownBytesNegativeTimestampAnd14BitBucket) {
  // t0=-5 -> zigzag 9 -> 09; v 0.0; t1=10: uvarint(15) = 0F; v bit 0;
  // t2=125: dod 100 -> "10" + 00000001100100; v bit 0 -> 0 10 00000001100100 0 = 40 32 00.
  std::vector<uint8_t> want = {0x00, 0x03, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0x0F, 0x40, 0x32, 0x00};
  EXPECT_EQ(encode({{-5, 0.0}, {10, 0.0}, {125, 0.0}}), want);
}

TEST(XorChunk, DeltaOfDeltaBucketEdges) {
  // dods: 8192 and -8191 fit 14 bits (the range is [-(2^13-1), 2^13]); 8193 and -8192 need 17;
  // 2^19 fits 20; 2^19+1 needs the 64-bit bucket.
  std::vector<int64_t> dods = {8192, -8191, 8193, -8192, 1 << 19, (1 << 19) + 1, 0};
  std::vector<Sample> s = {{0, 0.0}, {10, 0.0}};
  int64_t delta = 10;
  for (int64_t d : dods) {
    delta += d;
    s.push_back({s.back().t + delta, 0.0});
  }
  Bits want;
  want.add(s.size(), 16).byte(0x00).f64(0.0).byte(0x0A).add(0, 1);
  want.add(0b10, 2).add(uint64_t(8192) & 0x3FFF, 14).add(0, 1);
  want.add(0b10, 2).add(uint64_t(-8191) & 0x3FFF, 14).add(0, 1);
  want.add(0b110, 3).add(8193, 17).add(0, 1);
  want.add(0b110, 3).add(uint64_t(-8192) & 0x1FFFF, 17).add(0, 1);
  want.add(0b1110, 4).add(1 << 19, 20).add(0, 1);
  want.add(0b1111, 4).add((1 << 19) + 1, 64).add(0, 1);
  want.add(0, 1).add(0, 1);
  EXPECT_EQ(encode(s), want.bytes);
  EXPECT_EQ(decodeAll(want.bytes.data(), want.bytes.size()).back().t, s.back().t);
}

TEST(XorChunk, ValueWindowReuseClampAnd64SignificantBits) {
  double v0 = 1.0, v1 = 1.5, v2 = 1.0, v3 = 1.75;
  double v4 = std::bit_cast<double>(std::bit_cast<uint64_t>(v3) ^ 1);  // leading 63 -> 31
  double v5 = std::bit_cast<double>(~std::bit_cast<uint64_t>(v4));     // 64 significant bits
  std::vector<Sample> s = {{0, v0}, {1, v1}, {2, v2}, {3, v3}, {4, v4}, {5, v5}};
  Bits want;
  want.add(6, 16).byte(0x00).f64(v0).byte(0x01);
  want.add(0b11, 2).add(12, 5).add(1, 6).add(1, 1);                // 0x0008..: lead 12, sig 1
  want.add(0, 1).add(0b10, 2).add(1, 1);                           // same window reused
  want.add(0, 1).add(0b11, 2).add(12, 5).add(2, 6).add(0b11, 2);   // trailing shrank: new
  want.add(0, 1).add(0b11, 2).add(31, 5).add(33, 6).add(1, 33);    // leading clamped to 31
  want.add(0, 1).add(0b11, 2).add(0, 5).add(0, 6).add(~0ull, 64);  // 64 stored as 0
  EXPECT_EQ(encode(s), want.bytes);
  auto got = decodeAll(want.bytes.data(), want.bytes.size());
  ASSERT_EQ(got.size(), s.size());
  for (size_t i = 0; i < s.size(); ++i)
    EXPECT_EQ(std::bit_cast<uint64_t>(got[i].v), std::bit_cast<uint64_t>(s[i].v)) << i;
}

TEST(XorChunk, RoundTripSpecialValuesBitExact) {
  const double kStaleNaN = std::bit_cast<double>(uint64_t(0x7ff0000000000002));
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Sample> s = {{-1'000'000, 0.0},
                           {-999'000, -0.0},
                           {-998'000, std::numeric_limits<double>::quiet_NaN()},
                           {-997'000, kStaleNaN},
                           {0, inf},
                           {1, -inf},
                           {2, std::numeric_limits<double>::denorm_min()},
                           {3, std::numeric_limits<double>::max()},
                           {1'700'000'000'123, 42.125},
                           {1'700'000'015'123, 42.125},
                           {std::numeric_limits<int64_t>::max() / 2, -1e-300}};
  auto bytes = encode(s);
  bool ok = false;
  auto got = decodeAll(bytes.data(), bytes.size(), &ok);
  ASSERT_TRUE(ok);
  ASSERT_EQ(got.size(), s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    EXPECT_EQ(got[i].t, s[i].t) << i;
    EXPECT_EQ(std::bit_cast<uint64_t>(got[i].v), std::bit_cast<uint64_t>(s[i].v)) << i;
  }
}

TEST(XorChunk, RoundTripRandomRealistic) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<Sample> s;
    int64_t t = int64_t(rng() % 2'000'000'000'000) - 1'000'000'000'000;
    double v = double(rng() % 1000) / 8;
    size_t n = 1 + rng() % 300;
    for (size_t i = 0; i < n; ++i) {
      s.push_back({t, v});
      t += 15000 + int64_t(rng() % 5) - 2 + (rng() % 50 == 0 ? int64_t(rng() % 10'000'000) : 0);
      v = (rng() % 3 == 0) ? v : v + double(rng() % 1000) / 100;
    }
    XorAppender a;
    for (const auto& x : s) a.append(x.t, x.v);
    EXPECT_EQ(a.numSamples(), n);
    EXPECT_EQ(a.minTime(), s.front().t);
    EXPECT_EQ(a.maxTime(), s.back().t);
    bool ok = false;
    auto got = decodeAll(a.bytes().data(), a.bytes().size(), &ok);
    ASSERT_TRUE(ok);
    ASSERT_EQ(got.size(), n);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(got[i].t, s[i].t);
      ASSERT_EQ(got[i].v, s[i].v);
    }
  }
}

TEST(XorChunk, TruncatedDataIsAnErrorNotACrash) {
  auto bytes = encode({{1000, 1.0}, {2000, 2.0}, {3000, 3.5}, {4000, 3.5}});
  for (size_t cut = 1; cut < bytes.size(); ++cut) {
    XorIterator it(bytes.data(), cut);
    while (it.next()) {
    }
    EXPECT_TRUE(it.error()) << cut;
  }
  XorIterator empty(nullptr, 0);
  EXPECT_FALSE(empty.next());
  EXPECT_FALSE(empty.error());
}

// A long chunk cut anywhere in its last 40 bytes (where decoding reads from a padded copy of
// the tail) decodes exactly the samples that fit before the cut, then reports an error.
TEST(XorChunk, TruncatedTailGivesTheSamplesBeforeTheCutThenAnError) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 50; ++round) {
    XorAppender a;
    std::vector<Sample> s;
    int64_t t = 1'000'000;
    double v = 0;
    for (int i = 0; i < 240; ++i) {
      t += 15000 + (rng() % 20 == 0 ? int64_t(rng() % 100'000) : 0);
      v = rng() % 4 == 0 ? v : v + double(rng() % 100'000) / 7;
      s.push_back({t, v});
      a.append(t, v);
    }
    const auto& bytes = a.bytes();
    size_t full = decodeAll(bytes.data(), bytes.size(), nullptr).size();
    ASSERT_EQ(full, s.size());
    for (size_t cut = bytes.size() - 40; cut < bytes.size(); ++cut) {
      XorIterator it(bytes.data(), cut);
      size_t n = 0;
      while (it.next()) {
        ASSERT_LT(n, s.size());
        ASSERT_EQ(it.t(), s[n].t) << cut;
        ASSERT_EQ(it.v(), s[n].v) << cut;
        ++n;
      }
      EXPECT_TRUE(it.error()) << cut;
      EXPECT_LT(n, s.size()) << cut;
      EXPECT_GT(n, s.size() - 40) << cut;  // a sample takes at least two bits
    }
  }
}

TEST(XorChunk, CountHeaderIsBigEndianAndCapped) {
  XorAppender a;
  for (int i = 0; i < 300; ++i) a.append(i * 1000, i);
  EXPECT_EQ(a.bytes()[0], 0x01);
  EXPECT_EQ(a.bytes()[1], 0x2C);  // 300
  // Typical scrape data compresses to about a byte or two per sample.
  EXPECT_LT(a.sizeBytes(), 300u * 3);
}

}  // namespace
}  // namespace strata::tsdb
