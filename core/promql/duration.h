// Prometheus durations ("1h30m", "5m", "100ms"): units y w d h m s ms, in that order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata::promql {

std::optional<int64_t> parseDuration(std::string_view s);
std::string formatDuration(int64_t ms);

}  // namespace strata::promql
