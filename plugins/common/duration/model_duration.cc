#include "duration/model_duration.h"

#include <cctype>
#include <stdexcept>
#include <string>

namespace strata::duration {
namespace {

int64_t unitMillis(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60 * 1000;
  if (unit == "h") return 3600 * 1000;
  if (unit == "d") return 24 * 3600 * 1000LL;
  if (unit == "w") return 7 * 24 * 3600 * 1000LL;
  if (unit == "y") return 365 * 24 * 3600 * 1000LL;
  return 0;
}

}  // namespace

int64_t parseModelDurationMs(std::string_view text) {
  auto bad = [&] {
    return std::invalid_argument("\"" + std::string(text) + "\": not a duration like 2h or 1d12h");
  };
  if (text.empty()) throw bad();
  int64_t total = 0;
  for (size_t i = 0; i < text.size();) {
    size_t start = i;
    int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (n > 1000000000LL) throw bad();
      n = n * 10 + (text[i++] - '0');
    }
    if (i == start) throw bad();
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    int64_t ms = unitMillis(text.substr(unit_start, i - unit_start));
    if (ms == 0) throw bad();
    total += n * ms;
  }
  return total;
}

}  // namespace strata::duration
