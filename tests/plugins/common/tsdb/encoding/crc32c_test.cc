#include "tsdb/encoding/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::tsdb {
namespace {

TEST(Crc32c, KnownVectors) {
  // The CRC-32C check value (RFC 3720 / iSCSI): "123456789" -> 0xE3069283.
  std::string s = "123456789";
  EXPECT_EQ(crc32c(0, s.data(), s.size()), 0xE3069283u);
  EXPECT_EQ(crc32c(0, "", 0), 0u);
  // RFC 3720 B.4: 32 bytes of zeros -> 0x8A9136AA, of 0xFF -> 0x62A8AB43.
  std::string zeros(32, '\0'), ones(32, '\xff');
  EXPECT_EQ(crc32c(0, zeros.data(), zeros.size()), 0x8A9136AAu);
  EXPECT_EQ(crc32c(0, ones.data(), ones.size()), 0x62A8AB43u);
}

TEST(Crc32c, IncrementalEqualsWhole) {
  std::string s;
  for (int i = 0; i < 1000; ++i) s.push_back(char(i * 7 + 3));
  uint32_t whole = crc32c(0, s.data(), s.size());
  for (size_t cut : {0u, 1u, 7u, 8u, 9u, 500u, 999u}) {
    uint32_t part = crc32c(crc32c(0, s.data(), cut), s.data() + cut, s.size() - cut);
    EXPECT_EQ(part, whole) << cut;
  }
}

}  // namespace
}  // namespace strata::tsdb
