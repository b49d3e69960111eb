// The literal forms of regexes match exactly what RE2 matches with Prometheus' anchoring.
#include "query/literal_regex.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>
#include <vector>

namespace strata::block_store {
namespace {

bool re2Matches(const std::string& re, const std::string& v) {
  RE2::Options opts;
  opts.set_dot_nl(true);
  RE2 compiled("^(?:" + re + ")$", opts);
  return RE2::FullMatch(v, compiled);
}

TEST(LiteralRegex, MatchesWhatRe2Matches) {
  const std::vector<std::string> literal = {
      "",       "a",       "value_1", "a|b|c", "a||b",         ".*5",  ".*", ".+",  "job_.+",
      "job_.*", ".*-a-.*", ".*x.*",   "x.*",   "avalanche_.+", "foo|", "|",  "α.*", ".*é"};
  const std::vector<std::string> values = {
      "",      "a",   "b",     "5",       "15",       "x",   "job_", "job_1", "avalanche_gauge_2",
      "a-a-a", "-a-", "xx\nx", "value_1", "value_12", "foo", "c",    "\n5",   "αβ",
      "cé"};
  for (const auto& re : literal) {
    auto lit = LiteralRegex::parse(re);
    ASSERT_TRUE(lit) << re;
    for (const auto& v : values) EXPECT_EQ(lit->matches(v), re2Matches(re, v)) << re << " " << v;
  }
}

TEST(LiteralRegex, RealRegexesAreLeftToRe2) {
  for (const char* re : {"value_[1-3]", "a.b", "a?", "(a|b)", "a\\.b", "^a", "a{2}", ".*a|b",
                         "a.*b", ".*a.+", "a+"}) {
    EXPECT_FALSE(LiteralRegex::parse(re)) << re;
  }
}

}  // namespace
}  // namespace strata::block_store
