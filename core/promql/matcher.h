// A label matcher (=, !=, =~, !~). Regexes are fully anchored RE2, as in Prometheus.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace strata::promql {

enum class MatchType { kEqual, kNotEqual, kRegex, kNotRegex };

class Matcher {
 public:
  // Throws QueryError(kParse) when the regex does not compile.
  Matcher(MatchType type, std::string name, std::string value);

  MatchType type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  bool matches(std::string_view v) const;
  // True when the matcher also matches the empty string (i.e. series without the label).
  bool matchesEmpty() const { return matches_empty_; }
  std::string toString() const;

 private:
  MatchType type_;
  std::string name_;
  std::string value_;
  std::shared_ptr<const re2::RE2> re_;
  bool matches_empty_ = false;
};

}  // namespace strata::promql
