// The shared sample-line format: exact bytes, escapes and round-trip values.
#include "prompb/sample_line.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace strata::prompb {
namespace {

std::string render(double v) {
  std::string s;
  appendValue(s, v);
  return s;
}

TEST(SampleLineTest, FormatsSeriesValueTimestamp) {
  sdk::BatchBuilder b;
  b.beginSeries({{"job", "x"}, {"__name__", "up"}, {"instance", "a\"b\\c\nd"}});
  b.addSample(1000, 1.5);
  b.addSample(2000, 0);
  b.beginSeries({{"__name__", "bare"}});
  b.addSample(-5, -2);
  sdk::OwnedBatch batch(b.finish());
  std::string out;
  appendBatchLines(out, batch.view());
  EXPECT_EQ(out,
            "up{instance=\"a\\\"b\\\\c\\nd\",job=\"x\"} 1.5 1000\n"
            "up{instance=\"a\\\"b\\\\c\\nd\",job=\"x\"} 0 2000\n"
            "bare -2 -5\n");
}

TEST(SampleLineTest, ValuesAreShortestRoundTrip) {
  EXPECT_EQ(render(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(render(1e21), "1e+21");
  EXPECT_EQ(render(123456789), "123456789");
  EXPECT_EQ(render(NAN), "NaN");
  EXPECT_EQ(render(sdk::staleNaN()), "NaN");
  EXPECT_EQ(render(INFINITY), "+Inf");
  EXPECT_EQ(render(-INFINITY), "-Inf");
  for (double v : {0.1, 1.0 / 3, 5e-324, 1.7976931348623157e308, -0.0, 42.125}) {
    std::string s = render(v);
    EXPECT_EQ(std::strtod(s.c_str(), nullptr), v) << s;
  }
}

}  // namespace
}  // namespace strata::prompb
