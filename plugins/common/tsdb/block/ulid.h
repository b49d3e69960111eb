// ULIDs name blocks: 48-bit millisecond timestamp + 80 random bits, Crockford base32 (26
// characters), so block directories sort by creation time as Prometheus and Thanos expect.
#pragma once

#include <cstdint>
#include <string>

namespace strata::tsdb {

// A new ULID (Crockford base32 of a 48-bit ms timestamp and 80 random bits).
std::string newUlid(int64_t now_ms);

}  // namespace strata::tsdb
