#include "query/matcher.h"

#include <re2/re2.h>

#include <stdexcept>

namespace strata::block_store {

Matcher::Matcher(strata_match_type type, std::string name, std::string value)
    : type_(type), name_(std::move(name)), value_(std::move(value)) {
  if (type_ == STRATA_MATCH_RE || type_ == STRATA_MATCH_NRE) {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_dot_nl(true);  // Prometheus compiles with (?s)
    re_ = std::make_unique<re2::RE2>("^(?:" + value_ + ")$", opts);
    if (!re_->ok())
      throw std::invalid_argument("bad regex for label " + name_ + ": " + re_->error());
    literal_ = LiteralRegex::parse(value_);
  } else if (type_ != STRATA_MATCH_EQ && type_ != STRATA_MATCH_NEQ) {
    throw std::invalid_argument("unknown matcher type " + std::to_string(type_));
  }
  matches_empty_ = matches("");
}

Matcher::~Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;

bool Matcher::matches(std::string_view v) const {
  switch (type_) {
    case STRATA_MATCH_EQ:
      return v == value_;
    case STRATA_MATCH_NEQ:
      return v != value_;
    case STRATA_MATCH_RE:
      if (literal_) return literal_->matches(v);
      return RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *re_);
    case STRATA_MATCH_NRE:
      if (literal_) return !literal_->matches(v);
      return !RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *re_);
  }
  return false;
}

std::vector<Matcher> compileMatchers(const strata_matcher* matchers, size_t count) {
  std::vector<Matcher> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const auto& m = matchers[i];
    out.emplace_back(static_cast<strata_match_type>(m.type),
                     std::string(m.name.data ? m.name.data : "", m.name.len),
                     std::string(m.value.data ? m.value.data : "", m.value.len));
  }
  return out;
}

}  // namespace strata::block_store
