#include "core/http/listen_address.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace strata::http {
namespace {

TEST(ListenAddress, Parses) {
  auto a = parseListenAddress("127.0.0.1:9464");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 9464);
  EXPECT_FALSE(a.ipv6);
  auto any = parseListenAddress(":80");
  EXPECT_EQ(any.host, "0.0.0.0");
  EXPECT_EQ(any.port, 80);
  auto v6 = parseListenAddress("[::1]:0");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 0);
  EXPECT_TRUE(v6.ipv6);
  EXPECT_EQ(parseListenAddress("localhost:65535").port, 65535);
}

TEST(ListenAddress, RejectsMalformed) {
  for (const char* bad : {"", "9464", "host:", "host:65536", "host:12a", "::1:80", "[::1]80",
                          "[::1", "[]:80", "host:99999999"}) {
    EXPECT_THROW(parseListenAddress(bad), std::runtime_error) << bad;
  }
  try {
    parseListenAddress("::1:80");
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("brackets"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace strata::http
