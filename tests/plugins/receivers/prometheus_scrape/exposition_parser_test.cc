// The exposition parser on text 0.0.4 and OpenMetrics edge cases; malformed input fails with
// the 1-based line number.
#include "exposition_parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace strata::scrape {
namespace {

// Renders everything the parser reports, one line per callback.
struct Recorder : ParseHandler {
  std::vector<std::string> lines;
  void onSample(const ParsedSample& s) override {
    std::string l = std::string(s.name) + "{";
    for (size_t i = 0; i < s.label_count; ++i)
      l += std::string(i ? "," : "") + std::string(s.labels[i].name) + "=" +
           std::string(s.labels[i].value);
    char v[64];
    snprintf(v, sizeof v, "%.17g", s.value);
    l += std::string("} ") + v;
    if (s.has_timestamp) l += " @" + std::to_string(s.timestamp_ms);
    lines.push_back(l);
  }
  void onMetadata(MetaKind k, std::string_view f, std::string_view t) override {
    const char* kind = k == MetaKind::kType ? "TYPE" : k == MetaKind::kHelp ? "HELP" : "UNIT";
    lines.push_back(std::string(kind) + " " + std::string(f) + " [" + std::string(t) + "]");
  }
};

std::vector<std::string> parseOk(std::string_view body, Format f) {
  ExpositionParser p;
  Recorder r;
  EXPECT_TRUE(p.parse(body, f, r)) << p.error();
  return r.lines;
}

std::string parseErr(std::string_view body, Format f) {
  ExpositionParser p;
  Recorder r;
  EXPECT_FALSE(p.parse(body, f, r)) << body;
  return p.error();
}

TEST(ExpositionParserTest, TextFormatWithMetadataEscapesAndTimestamps) {
  auto lines = parseOk(R"(# HELP http_requests_total The total number\nof "requests" \\ here.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# A free comment is ignored.
msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9
metric_without_timestamp_and_labels 12.47
something_weird{problem="division by zero"} +Inf -3982045
  spaced { a = "1" , b="2", } -Inf
nan_metric NaN
)",
                       Format::kText);
  std::vector<std::string> want = {
      "HELP http_requests_total [The total number\nof \"requests\" \\ here.]",
      "TYPE http_requests_total [counter]",
      "http_requests_total{method=post,code=200} 1027 @1395066363000",
      "http_requests_total{method=post,code=400} 3 @1395066363000",
      "msdos_file_access_time_seconds{path=C:\\DIR\\FILE.TXT,error=Cannot find file:\n\"FILE.TXT\"}"
      " 1458255915",
      "metric_without_timestamp_and_labels{} 12.470000000000001",
      "something_weird{problem=division by zero} inf @-3982045",
      "spaced{a=1,b=2} -inf",
      "nan_metric{} nan",
  };
  EXPECT_EQ(lines, want);
}

TEST(ExpositionParserTest, OpenMetricsWithUnitExemplarAndFloatTimestamps) {
  auto lines = parseOk(R"(# TYPE acme_http_router_request_seconds summary
# UNIT acme_http_router_request_seconds seconds
# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
# TYPE foo histogram
foo_bucket{le="0.01"} 0
foo_bucket{le="+Inf"} 17 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67
# EOF
)",
                       Format::kOpenMetrics);
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[1], "UNIT acme_http_router_request_seconds [seconds]");
  EXPECT_EQ(lines[2],
            "HELP acme_http_router_request_seconds [Latency though all of ACME's HTTP request "
            "router.]");
  EXPECT_EQ(lines[5],
            "acme_http_router_request_seconds_created{path=/api/v1,method=GET} 1605281325");
  EXPECT_EQ(lines[8], "foo_bucket{le=+Inf} 17 @1520879607789");
}

TEST(ExpositionParserTest, ContentTypeSelectsFormat) {
  EXPECT_EQ(formatFromContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"),
            Format::kOpenMetrics);
  EXPECT_EQ(formatFromContentType("text/plain; version=0.0.4; charset=utf-8"), Format::kText);
  EXPECT_EQ(formatFromContentType(""), Format::kText);
}

struct BadInput {
  const char* body;
  Format format;
  const char* error;
};

const BadInput kBad[] = {
    {"ok 1\nbad{a=\"1\" 2\n", Format::kText, "line 2: expected ',' or '}' after label value"},
    {"ok 1\n\nm{a=1} 2\n", Format::kText, "line 3: expected a quoted label value"},
    {"m abc\n", Format::kText, "line 1: invalid value \"abc\""},
    {"m 1 12.5\n", Format::kText, "line 1: invalid timestamp \"12.5\""},
    {"m 1 2 3\n", Format::kText, "line 1: unexpected text after the sample"},
    {"m{a=\"1\",a=\"2\"} 1\n", Format::kText, "line 1: duplicate label name \"a\""},
    {"m{a=\"unterminated} 1\n", Format::kText, "line 1: unterminated label value"},
    {"# TYPE m bogus\n", Format::kText, "line 1: invalid metric type \"bogus\""},
    {"{a=\"1\"} 1\n", Format::kText, "line 1: expected a metric name"},
    {"m{a=\"\xff\"} 1\n", Format::kText, "line 1: invalid UTF-8 label value"},
    {"m 1\n", Format::kOpenMetrics, "line 2: data does not end with # EOF"},
    {"m 1\n# EOF\nm 2\n", Format::kOpenMetrics, "line 3: unexpected data after # EOF"},
    {"m 1\n\n# EOF\n", Format::kOpenMetrics, "line 2: unexpected empty line"},
    {"# free comment\n# EOF\n", Format::kOpenMetrics, "line 1: unexpected comment"},
    {"m  1\n# EOF\n", Format::kOpenMetrics, "line 1: invalid value \"\""},
    {"m 1 abc\n# EOF\n", Format::kOpenMetrics, "line 1: invalid timestamp \"abc\""},
    // Found by the fuzzer (UBSan: a double outside int64 converted to milliseconds).
    {"m 1 1.395e121\n# EOF\n", Format::kOpenMetrics, "line 1: invalid timestamp \"1.395e121\""},
    {"m 1 -9.3e15\n# EOF\n", Format::kOpenMetrics, "line 1: invalid timestamp \"-9.3e15\""},
    {"m 1 +Inf\n# EOF\n", Format::kOpenMetrics, "line 1: invalid timestamp \"+Inf\""},
    {"# TYPE m untyped\n# EOF\n", Format::kOpenMetrics, "line 1: invalid metric type"},
};

class ExpositionParserErrorTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(ExpositionParserErrorTest, NamesTheLine) {
  const BadInput& c = GetParam();
  std::string err = parseErr(c.body, c.format);
  EXPECT_EQ(err.rfind(c.error, 0), 0u) << err;
}

INSTANTIATE_TEST_SUITE_P(Malformed, ExpositionParserErrorTest, ::testing::ValuesIn(kBad));

TEST(ExpositionParserTest, FloatValuesAsGo) {
  double v = 0;
  EXPECT_TRUE(parseFloatValue("1e3", &v));
  EXPECT_EQ(v, 1000);
  EXPECT_TRUE(parseFloatValue("-0.5", &v));
  EXPECT_EQ(v, -0.5);
  EXPECT_TRUE(parseFloatValue("+inf", &v));
  EXPECT_TRUE(std::isinf(v) && v > 0);
  EXPECT_TRUE(parseFloatValue("-Inf", &v));
  EXPECT_TRUE(std::isinf(v) && v < 0);
  EXPECT_TRUE(parseFloatValue("NaN", &v));
  EXPECT_TRUE(std::isnan(v));
  EXPECT_FALSE(parseFloatValue("", &v));
  EXPECT_FALSE(parseFloatValue("1x", &v));
  EXPECT_FALSE(parseFloatValue("--1", &v));
  EXPECT_FALSE(parseFloatValue("1e999", &v));
  EXPECT_FALSE(parseFloatValue("-1e999", &v));
  // Underflow is no error for Go's ParseFloat: the nearest double (found by the fuzz harness's
  // comparison with strtod; from_chars reports ERANGE for it).
  EXPECT_TRUE(parseFloatValue("1e-400", &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(parseFloatValue("-2e-324", &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(std::signbit(v));
  EXPECT_TRUE(parseFloatValue("3e-324", &v));
  EXPECT_EQ(v, std::numeric_limits<double>::denorm_min());
}

}  // namespace
}  // namespace strata::scrape
