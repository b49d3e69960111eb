// Regexes that are literal strings in disguise, matched without the regex engine, as
// Prometheus' FastRegexMatcher does: `foo|bar` (a set), `foo.*` and `foo.+` (a prefix),
// `.*foo` (a suffix), `.*foo.*` (a substring). Selectors such as {__name__=~"job_.+"} or
// {pod=~".*-5"} test every value of a label, which can be 100,000 values per select.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::block_store {

class LiteralRegex {
 public:
  // The literal form of an anchored regex (as Prometheus anchors it, with `.` matching any
  // character), or nullopt when it has none.
  static std::optional<LiteralRegex> parse(std::string_view regex);
  bool matches(std::string_view v) const;

 private:
  enum class Kind { kSet, kPrefix, kSuffix, kContains };
  Kind kind_ = Kind::kSet;
  std::vector<std::string> literals_;  // one, except for a set
  size_t min_extra_ = 0;               // characters a prefix needs after it (1 for `.+`)
};

}  // namespace strata::block_store
