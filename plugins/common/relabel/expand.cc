#include "relabel/expand.h"

namespace strata::relabel {
namespace {

bool isNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;  // Go accepts Unicode letters; keep their bytes
}

// Go's regexp extract(): parses the name after '$'. Returns false when malformed.
bool extract(std::string_view s, std::string_view& name, int& num, size_t& consumed) {
  size_t i = 0;
  bool brace = !s.empty() && s[0] == '{';
  if (brace) i = 1;
  size_t start = i;
  while (i < s.size() && isNameChar(s[i])) ++i;
  if (i == start) return false;
  name = s.substr(start, i - start);
  if (brace) {
    if (i >= s.size() || s[i] != '}') return false;
    ++i;
  }
  num = 0;
  for (char c : name) {
    if (c < '0' || c > '9' || num >= 100000000) {
      num = -1;
      break;
    }
    num = num * 10 + (c - '0');
  }
  if (name.size() > 1 && name[0] == '0') num = -1;  // Go disallows leading zeros
  consumed = i;
  return true;
}

}  // namespace

void expandTemplate(const re2::RE2& re, std::string_view tmpl, const re2::StringPiece* groups,
                    int n, std::string& out) {
  while (!tmpl.empty()) {
    size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    out.append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      out.push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    std::string_view name;
    int num = -1;
    size_t consumed = 0;
    if (!extract(tmpl, name, num, consumed)) {
      out.push_back('$');
      continue;
    }
    tmpl.remove_prefix(consumed);
    if (num < 0) {
      const auto& named = re.NamedCapturingGroups();
      auto it = named.find(std::string(name));
      num = it == named.end() ? -1 : it->second;
    }
    if (num >= 0 && num < n && groups[num].data() != nullptr) {
      out.append(groups[num].data(), groups[num].size());
    }
  }
  out.append(tmpl);
}

}  // namespace strata::relabel
