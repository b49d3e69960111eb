#include "core/promql/matcher.h"

#include <re2/re2.h>

#include "core/promql/labels.h"
#include "core/promql/value.h"

namespace strata::promql {

Matcher::Matcher(MatchType type, std::string name, std::string value)
    : type_(type), name_(std::move(name)), value_(std::move(value)) {
  if (type_ == MatchType::kRegex || type_ == MatchType::kNotRegex) {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_dot_nl(true);  // Go's (?s) is what Prometheus anchors with.
    auto re = std::make_shared<RE2>("^(?:" + value_ + ")$", opts);
    if (!re->ok()) {
      throw QueryError(ErrorKind::kParse, "error parsing regexp: " + re->error());
    }
    re_ = std::move(re);
  }
  matches_empty_ = matches("");
}

bool Matcher::matches(std::string_view v) const {
  switch (type_) {
    case MatchType::kEqual:
      return v == value_;
    case MatchType::kNotEqual:
      return v != value_;
    case MatchType::kRegex:
      return RE2::FullMatch(v, *re_);
    case MatchType::kNotRegex:
      return !RE2::FullMatch(v, *re_);
  }
  return false;
}

std::string Matcher::toString() const {
  static const char* ops[] = {"=", "!=", "=~", "!~"};
  return name_ + ops[static_cast<int>(type_)] + quoteString(value_);
}

}  // namespace strata::promql
