#include "tls_server_name/server_name_route.h"

#include <gtest/gtest.h>

namespace strata::tls {
namespace {

TEST(ServerNameRoute, HttpsUrlIsRewrittenAndPinned) {
  std::string err;
  auto r =
      routeViaServerName("https://127.0.0.1:9443/metrics?a=b", "metrics.example.internal", &err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->url, "https://metrics.example.internal:9443/metrics?a=b");
  EXPECT_EQ(r->connect_to, "metrics.example.internal:9443:127.0.0.1:9443");
  EXPECT_EQ(r->host_header, "Host: 127.0.0.1:9443");
}

TEST(ServerNameRoute, DefaultPortIsPinnedButNotAddedToHost) {
  std::string err;
  auto r = routeViaServerName("https://central.local/api/v1/write", "rw.example", &err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->url, "https://rw.example/api/v1/write");
  EXPECT_EQ(r->connect_to, "rw.example:443:central.local:443");
  EXPECT_EQ(r->host_header, "Host: central.local");
}

TEST(ServerNameRoute, Ipv6HostsKeepTheirBrackets) {
  std::string err;
  auto r = routeViaServerName("https://[::1]:8443/m", "node.example", &err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->connect_to, "node.example:8443:[::1]:8443");
  EXPECT_EQ(r->host_header, "Host: [::1]:8443");
  r = routeViaServerName("https://127.0.0.1:8443/m", "::1", &err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->url, "https://[::1]:8443/m");
  EXPECT_EQ(r->connect_to, "[::1]:8443:127.0.0.1:8443");
}

TEST(ServerNameRoute, CredentialsInTheUrlAreKept) {
  std::string err;
  auto r = routeViaServerName("https://u:p@10.0.0.1:1234/x", "a.example", &err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->url, "https://u:p@a.example:1234/x");
}

TEST(ServerNameRoute, NothingToDoWithoutNameOrOnPlainHttp) {
  std::string err;
  EXPECT_FALSE(routeViaServerName("https://127.0.0.1:1/x", "", &err));
  EXPECT_FALSE(routeViaServerName("http://127.0.0.1:1/x", "a.example", &err));
  EXPECT_EQ(err, "");
}

TEST(ServerNameRoute, UnusableInputIsAnError) {
  std::string err;
  EXPECT_FALSE(routeViaServerName("https://", "a.example", &err));
  EXPECT_NE(err, "");
  err.clear();
  EXPECT_FALSE(routeViaServerName("https://127.0.0.1:1/x", "bad name", &err));
  EXPECT_NE(err, "");
}

}  // namespace
}  // namespace strata::tls
