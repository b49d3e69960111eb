// CRC32-Castagnoli (CRC-32C), the checksum of every index section and chunk in TSDB blocks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::tsdb {

// Continues a running CRC (start with 0); crc32c(crc32c(0, a), b) == crc32c(0, a+b).
uint32_t crc32c(uint32_t crc, const void* data, size_t len);

}  // namespace strata::tsdb
