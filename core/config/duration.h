// Prometheus duration syntax ("15s", "1h30m", "500ms", "0"): units y w d h m s ms, each at most
// once, largest first, integers only. What a STRATA_OPT_DURATION option accepts.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata::config {

// Milliseconds; false on bad syntax or overflow.
bool parseDuration(std::string_view text, int64_t& ms);

}  // namespace strata::config
