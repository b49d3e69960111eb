// Prometheus' duration syntax (model.Duration): one or more <number><unit> groups, units ms, s,
// m, h, d, w, y ("2h", "1d12h", "500ms"). No sign, no fractions. For options given as strings
// or string lists (the SDK's DURATION option type covers single values).
#pragma once

#include <cstdint>
#include <string_view>

namespace strata::duration {

// Milliseconds; throws std::invalid_argument naming the text on anything else (empty too).
int64_t parseModelDurationMs(std::string_view text);

}  // namespace strata::duration
