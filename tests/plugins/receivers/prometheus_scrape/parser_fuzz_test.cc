// A fuzz-ish loop: random bytes, and random mutations of a valid exposition, must never crash
// the parser (run under ASan in sanitizer builds) and must either parse or name a line.
#include <gtest/gtest.h>

#include <random>

#include "exposition_parser.h"

namespace strata::scrape {
namespace {

struct Null : ParseHandler {
  size_t n = 0;
  void onSample(const ParsedSample& s) override {
    n += s.label_count + 1;
    for (size_t i = 0; i < s.label_count; ++i) n += s.labels[i].value.size();
  }
  void onMetadata(MetaKind, std::string_view, std::string_view t) override { n += t.size(); }
};

const char kSeed[] =
    "# HELP go_gc_duration_seconds A summary.\n# TYPE go_gc_duration_seconds summary\n"
    "go_gc_duration_seconds{quantile=\"0.5\"} 1.2e-05\ngo_gc_duration_seconds_sum 0.5 123\n"
    "m{a=\"x\\\\y\\n\\\"z\",b=\"\"} NaN\n# EOF\n";

TEST(ParserFuzzTest, RandomInputNeverCrashes) {
  std::mt19937_64 rng(12345);
  const char alphabet[] = "m{}=\",# \n\\aTYPEHELPUNITEOF0123456789.+-eInfNa_:\t\xff";
  ExpositionParser p;
  size_t parsed = 0, failed = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string body;
    if (iter % 2) {
      body = kSeed;
      int edits = 1 + static_cast<int>(rng() % 6);
      for (int e = 0; e < edits && !body.empty(); ++e) {
        size_t at = rng() % body.size();
        switch (rng() % 3) {
          case 0:
            body[at] = alphabet[rng() % (sizeof alphabet - 1)];
            break;
          case 1:
            body.erase(at, 1 + rng() % 4);
            break;
          default:
            body.insert(at, 1, alphabet[rng() % (sizeof alphabet - 1)]);
        }
      }
    } else {
      size_t len = rng() % 200;
      for (size_t i = 0; i < len; ++i) body += static_cast<char>(rng() % 256);
    }
    for (Format f : {Format::kText, Format::kOpenMetrics}) {
      Null h;
      if (p.parse(body, f, h)) {
        ++parsed;
      } else {
        ++failed;
        ASSERT_EQ(p.error().rfind("line ", 0), 0u) << p.error();
      }
    }
  }
  EXPECT_GT(parsed, 0u);  // the loop really exercises both paths
  EXPECT_GT(failed, 0u);
}

}  // namespace
}  // namespace strata::scrape
