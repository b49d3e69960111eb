#include "core/config/duration.h"

#include <gtest/gtest.h>

namespace strata::config {
namespace {

int64_t ms(const char* text) {
  int64_t v = -1;
  EXPECT_TRUE(parseDuration(text, v)) << text;
  return v;
}

TEST(Duration, PrometheusSyntax) {
  EXPECT_EQ(ms("0"), 0);
  EXPECT_EQ(ms("500ms"), 500);
  EXPECT_EQ(ms("15s"), 15000);
  EXPECT_EQ(ms("1h30m"), 5400000);
  EXPECT_EQ(ms("1m30s500ms"), 90500);
  EXPECT_EQ(ms("2d"), 2 * 86400000LL);
  EXPECT_EQ(ms("1w"), 7 * 86400000LL);
  EXPECT_EQ(ms("1y"), 365 * 86400000LL);
  EXPECT_EQ(ms("0s"), 0);
}

TEST(Duration, Rejects) {
  int64_t v = 0;
  for (const char* bad : {"", "15", "1.5s", "s", "30s1m", "1m1m", "5 seconds", "-1s", "1h 30m",
                          "99999999999999999999y", "1msx"}) {
    EXPECT_FALSE(parseDuration(bad, v)) << bad;
  }
}

}  // namespace
}  // namespace strata::config
