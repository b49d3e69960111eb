// Time, duration and form parsing of the HTTP API.
#include <gtest/gtest.h>

#include "http_params.h"

namespace strata::promql_api {
namespace {

TEST(ParamsTest, TimeFormats) {
  EXPECT_EQ(parseTimeMs("0"), 0);
  EXPECT_EQ(parseTimeMs("1.5"), 1500);
  EXPECT_EQ(parseTimeMs("-1.5"), -1500);
  EXPECT_EQ(parseTimeMs("1435781451.781"), 1435781451781);
  EXPECT_EQ(parseTimeMs("1e3"), 1000000);
  EXPECT_EQ(parseTimeMs("2015-07-01T20:10:51.781Z"), 1435781451781);
  EXPECT_EQ(parseTimeMs("2015-07-01T22:10:51+02:00"), 1435781451000);
  EXPECT_EQ(parseTimeMs("1969-12-31T23:59:59Z"), -1000);
  EXPECT_EQ(parseTimeMs("1970-01-01T00:00:00.1234Z"), 123);
  EXPECT_THROW(parseTimeMs("abc"), std::invalid_argument);
  EXPECT_THROW(parseTimeMs("2015-07-01"), std::invalid_argument);
  EXPECT_THROW(parseTimeMs(""), std::invalid_argument);
}

TEST(ParamsTest, Durations) {
  EXPECT_EQ(parseDurationMs("15s"), 15000);
  EXPECT_EQ(parseDurationMs("1h30m"), 5400000);
  EXPECT_EQ(parseDurationMs("0.5"), 500);
  EXPECT_EQ(parseDurationMs("60"), 60000);
  EXPECT_THROW(parseDurationMs("5x"), std::invalid_argument);
}

TEST(ParamsTest, FormDecoding) {
  auto p = Params::parse("query=sum+by%28a%29&match%5B%5D=x&match%5B%5D=y&empty=&flag");
  EXPECT_EQ(p.get("query").value(), "sum by(a)");
  EXPECT_EQ(p.all("match[]"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(p.get("empty").value(), "");
  EXPECT_EQ(p.get("flag").value(), "");
  EXPECT_FALSE(p.get("missing"));
  EXPECT_THROW(Params::parse("a=%zz"), std::invalid_argument);
}

}  // namespace
}  // namespace strata::promql_api
