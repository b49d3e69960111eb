#include "core/promql/duration.h"

namespace strata::promql {

std::optional<int64_t> parseDuration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s == "0") return 0;
  struct Unit {
    std::string_view name;
    int64_t ms;
  };
  static constexpr Unit kUnits[] = {{"y", 365LL * 86400000},
                                    {"w", 7LL * 86400000},
                                    {"d", 86400000},
                                    {"h", 3600000},
                                    {"m", 60000},
                                    {"s", 1000},
                                    {"ms", 1}};
  int64_t total = 0;
  size_t next_unit = 0;  // units must appear in decreasing order, each at most once
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i) return std::nullopt;
    int64_t n = 0;
    for (size_t k = i; k < j; ++k) {
      if (n > (INT64_MAX - 9) / 10) return std::nullopt;
      n = n * 10 + (s[k] - '0');
    }
    size_t u = j;
    while (u < s.size() && !(s[u] >= '0' && s[u] <= '9')) ++u;
    std::string_view unit = s.substr(j, u - j);
    bool found = false;
    for (size_t k = next_unit; k < std::size(kUnits); ++k) {
      if (kUnits[k].name == unit) {
        if (n > INT64_MAX / kUnits[k].ms) return std::nullopt;
        total += n * kUnits[k].ms;
        next_unit = k + 1;
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
    i = u;
  }
  return total;
}

std::string formatDuration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  struct Unit {
    const char* name;
    int64_t ms;
  };
  static constexpr Unit kUnits[] = {{"y", 365LL * 86400000},
                                    {"w", 7LL * 86400000},
                                    {"d", 86400000},
                                    {"h", 3600000},
                                    {"m", 60000},
                                    {"s", 1000},
                                    {"ms", 1}};
  for (const auto& u : kUnits) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms) + u.name;
      ms %= u.ms;
    }
  }
  return out;
}

}  // namespace strata::promql
