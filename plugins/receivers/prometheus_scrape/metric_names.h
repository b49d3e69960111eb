// Character classes of Prometheus metric and label names.
#pragma once

#include <string_view>

namespace strata::scrape {

inline bool isLabelNameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (!first && c >= '0' && c <= '9');
}
inline bool isMetricNameChar(char c, bool first) { return isLabelNameChar(c, first) || c == ':'; }

inline bool isValidMetricName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (!isMetricNameChar(s[i], i == 0)) return false;
  return true;
}

}  // namespace strata::scrape
