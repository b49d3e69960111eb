// One sample of a series, and the Prometheus staleness marker (shared with the SDK so host and
// plugins agree on its exact bit pattern).
#pragma once

#include <cstdint>
#include <strata/sdk/batch.hpp>

namespace strata::model {

struct Sample {
  int64_t t_ms;  // milliseconds since the epoch
  double v;
};

using sdk::isStaleNaN;
using sdk::kStaleNaNBits;
using sdk::staleNaN;

inline bool isStale(const Sample& s) { return isStaleNaN(s.v); }

}  // namespace strata::model
