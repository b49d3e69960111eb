// A label matcher (=, !=, =~, !~) compiled once per query. Regexes are RE2 and fully anchored
// like Prometheus': `foo.*` must match the whole value.
#pragma once

#include <strata/plugin_abi.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/literal_regex.h"

namespace re2 {
class RE2;
}

namespace strata::block_store {

class Matcher {
 public:
  // Throws std::invalid_argument for a bad regex or an unknown type.
  Matcher(strata_match_type type, std::string name, std::string value);
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;

  const std::string& name() const { return name_; }
  strata_match_type type() const { return type_; }
  const std::string& value() const { return value_; }
  bool matches(std::string_view v) const;
  // A matcher that accepts "" also selects series that lack the label (Prometheus rule).
  bool matchesEmpty() const { return matches_empty_; }

 private:
  strata_match_type type_;
  std::string name_, value_;
  std::unique_ptr<re2::RE2> re_;
  std::optional<LiteralRegex> literal_;  // the regex without RE2, where it is a literal
  bool matches_empty_ = false;
};

// Compiles the C matchers; throws std::invalid_argument naming the bad one.
std::vector<Matcher> compileMatchers(const strata_matcher* matchers, size_t count);

}  // namespace strata::block_store
