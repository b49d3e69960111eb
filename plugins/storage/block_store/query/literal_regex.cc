#include "query/literal_regex.h"

#include <algorithm>

namespace strata::block_store {
namespace {

// Characters that make a regex more than a literal (a backslash included: escapes are left
// to RE2 rather than interpreted here).
bool isMeta(char c) {
  switch (c) {
    case '\\':
    case '.':
    case '+':
    case '*':
    case '?':
    case '(':
    case ')':
    case '|':
    case '[':
    case ']':
    case '{':
    case '}':
    case '^':
    case '$':
      return true;
    default:
      return false;
  }
}

bool isLiteral(std::string_view s) { return std::none_of(s.begin(), s.end(), isMeta); }

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

}  // namespace

std::optional<LiteralRegex> LiteralRegex::parse(std::string_view re) {
  LiteralRegex out;
  if (re.size() >= 4 && startsWith(re, ".*") && endsWith(re, ".*") &&
      isLiteral(re.substr(2, re.size() - 4))) {
    out.kind_ = Kind::kContains;
    out.literals_.emplace_back(re.substr(2, re.size() - 4));
    return out;
  }
  if (startsWith(re, ".*") && isLiteral(re.substr(2))) {
    out.kind_ = Kind::kSuffix;
    out.literals_.emplace_back(re.substr(2));
    return out;
  }
  if (re.size() >= 2 && (endsWith(re, ".*") || endsWith(re, ".+")) &&
      isLiteral(re.substr(0, re.size() - 2))) {
    out.kind_ = Kind::kPrefix;
    out.literals_.emplace_back(re.substr(0, re.size() - 2));
    out.min_extra_ = re.back() == '+' ? 1 : 0;
    return out;
  }
  // A|B|C of literals (one literal is a set of one).
  out.kind_ = Kind::kSet;
  size_t begin = 0;
  for (;;) {
    size_t bar = re.find('|', begin);
    std::string_view part = re.substr(begin, bar == std::string_view::npos ? re.npos : bar - begin);
    if (!isLiteral(part)) return std::nullopt;
    out.literals_.emplace_back(part);
    if (bar == std::string_view::npos) break;
    begin = bar + 1;
  }
  return out;
}

bool LiteralRegex::matches(std::string_view v) const {
  switch (kind_) {
    case Kind::kSet:
      return std::find(literals_.begin(), literals_.end(), v) != literals_.end();
    case Kind::kPrefix:
      return v.size() >= literals_[0].size() + min_extra_ && startsWith(v, literals_[0]);
    case Kind::kSuffix:
      return endsWith(v, literals_[0]);
    case Kind::kContains:
      return v.find(literals_[0]) != std::string_view::npos;
  }
  return false;
}

}  // namespace strata::block_store
