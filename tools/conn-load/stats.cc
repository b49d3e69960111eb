#include "stats.h"

#include <algorithm>
#include <cmath>

namespace strata::connload {

LatencySummary summarize(std::vector<int64_t>& micros) {
  LatencySummary s;
  s.count = micros.size();
  if (micros.empty()) return s;
  std::sort(micros.begin(), micros.end());
  auto rank = [&](double p) {
    size_t r = static_cast<size_t>(std::ceil(p * static_cast<double>(micros.size())));
    return micros[std::clamp<size_t>(r, 1, micros.size()) - 1] / 1000.0;
  };
  s.p50_ms = rank(0.50);
  s.p99_ms = rank(0.99);
  s.max_ms = micros.back() / 1000.0;
  return s;
}

}  // namespace strata::connload
