#include "core/config/duration.h"

#include <array>
#include <limits>

namespace strata::config {
namespace {

struct Unit {
  std::string_view name;
  int64_t ms;
};
// Largest first, as Prometheus requires; "ms" before "m" only matters for matching, handled
// by trying the longer suffix first.
constexpr std::array<Unit, 7> kUnits = {{{"y", 365LL * 24 * 3600 * 1000},
                                         {"w", 7LL * 24 * 3600 * 1000},
                                         {"d", 24LL * 3600 * 1000},
                                         {"h", 3600LL * 1000},
                                         {"m", 60LL * 1000},
                                         {"s", 1000},
                                         {"ms", 1}}};

// Index of the unit at text[i...], or -1.
int unitAt(std::string_view text, size_t i) {
  if (text.substr(i, 2) == "ms") return 6;
  for (int u = 0; u < 6; ++u) {
    if (text.substr(i, 1) == kUnits[u].name) return u;
  }
  return -1;
}

}  // namespace

bool parseDuration(std::string_view text, int64_t& ms) {
  if (text == "0") {
    ms = 0;
    return true;
  }
  if (text.empty()) return false;
  int64_t total = 0;
  int last_unit = -1;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > (std::numeric_limits<int64_t>::max() - 9) / 10) return false;
      n = n * 10 + (text[i++] - '0');
    }
    if (i == start) return false;
    int unit = unitAt(text, i);
    if (unit <= last_unit) return false;  // missing, repeated or out of order
    i += kUnits[unit].name.size();
    if (n > std::numeric_limits<int64_t>::max() / kUnits[unit].ms) return false;
    int64_t part = n * kUnits[unit].ms;
    if (total > std::numeric_limits<int64_t>::max() - part) return false;
    total += part;
    last_unit = unit;
  }
  ms = total;
  return true;
}

}  // namespace strata::config
