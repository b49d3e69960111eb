// Shared definitions of the index file (format v2, Prometheus tsdb/docs/format/index.md).
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::tsdb {

inline constexpr uint32_t kIndexMagic = 0xBAAAD700;
inline constexpr uint8_t kIndexVersion2 = 2;
inline constexpr size_t kSeriesAlign = 16;  // series ref = offset / 16
inline constexpr size_t kTocLen = 6 * 8 + 4;

struct IndexChunkMeta {
  int64_t min_time = 0, max_time = 0;
  uint64_t ref = 0;
};

}  // namespace strata::tsdb
