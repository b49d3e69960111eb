#include "compact/counter_resets.h"

#include <cmath>
#include <cstring>

namespace strata::compact {

bool isStaleNaN(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits == 0x7ff0000000000002ull;
}

CounterSeries applyCounterResets(const std::vector<std::vector<Sample>>& chunks) {
  CounterSeries out;
  bool any = false;
  int64_t last_t = 0;
  double last_v = 0, total = 0;
  for (const auto& chunk : chunks) {
    bool chunk_start = true;
    for (const Sample& s : chunk) {
      if (std::isnan(s.v)) continue;
      if (!any) {
        any = true;
        total = s.v;
        last_t = s.t;
        last_v = s.v;
        out.samples.push_back({s.t, total});
        chunk_start = false;
        continue;
      }
      if (chunk_start && s.t <= last_t) continue;  // the chunks overlap: never go back
      chunk_start = false;
      if (s.t > last_t) {
        total += s.v >= last_v ? s.v - last_v : s.v;
        last_t = s.t;
        last_v = s.v;
        out.samples.push_back({s.t, total});
      } else {
        last_v = s.v;  // the special last sample: the raw value the next chunk compares with
      }
    }
  }
  out.last_raw = last_v;
  out.has_last_raw = any;
  return out;
}

}  // namespace strata::compact
