#include "core/telemetry/prom_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

namespace strata::telemetry {
namespace {

TEST(PromText, FormatsValuesLikePrometheus) {
  EXPECT_EQ(formatValue(0), "0");
  EXPECT_EQ(formatValue(42), "42");
  EXPECT_EQ(formatValue(-7), "-7");
  EXPECT_EQ(formatValue(1e6), "1000000");
  EXPECT_EQ(formatValue(0.1), "0.1");
  EXPECT_EQ(formatValue(1.5e-7), "1.5e-07");
  EXPECT_EQ(formatValue(1e300), "1e+300");  // integral but far beyond 2^53
  EXPECT_EQ(formatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(formatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(formatValue(std::nan("")), "NaN");
  EXPECT_EQ(formatValue(1.0 / 3), "0.3333333333333333");
}

TEST(PromText, FormattedValuesRoundTrip) {
  for (double v : {0.1 + 0.2, 1.0 / 3, 123456.789, 5e-324, 1.7976931348623157e308,
                   9007199254740993.0, 1234567890123.25}) {
    EXPECT_EQ(std::strtod(formatValue(v).c_str(), nullptr), v) << formatValue(v);
  }
}

TEST(PromText, NameRules) {
  EXPECT_TRUE(isValidMetricName("a:b_c9"));
  EXPECT_TRUE(isValidMetricName("_x"));
  EXPECT_FALSE(isValidMetricName("9x"));
  EXPECT_FALSE(isValidMetricName("a.b"));
  EXPECT_TRUE(isValidLabelName("_a1"));
  EXPECT_FALSE(isValidLabelName("a:b"));
  EXPECT_FALSE(isValidLabelName("__name__"));
  EXPECT_FALSE(isValidLabelName(""));
}

TEST(PromText, Escaping) {
  std::string help, value;
  appendEscapedHelp(help, "a\\b\nc\"d");
  EXPECT_EQ(help, "a\\\\b\\nc\"d");  // quotes stay as they are in HELP
  appendEscapedLabelValue(value, "a\\b\nc\"d");
  EXPECT_EQ(value, "a\\\\b\\nc\\\"d");
}

TEST(PromText, Utf8Validation) {
  EXPECT_TRUE(isValidUtf8("plain ascii"));
  EXPECT_TRUE(
      isValidUtf8("Gr\xc3\xbc\xc3\x9f"
                  "e \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(isValidUtf8("\xc3"));          // truncated
  EXPECT_FALSE(isValidUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(isValidUtf8("\xff"));
}

}  // namespace
}  // namespace strata::telemetry
