// Fewer GETs: the byte ranges one batch needs from one object (series entries of the index,
// chunks of a segment) are sorted and those closer than a gap are joined into one range, as
// Thanos' gap-based partitioner does; the bytes in the gaps are fetched and thrown away.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "tsdb/fileutil/byte_source.h"

namespace strata::store_gateway {

struct ByteRange {
  uint64_t offset = 0, length = 0;
  uint64_t end() const { return offset + length; }
  bool operator==(const ByteRange&) const = default;
};

// Sorted, overlapping ranges and ranges less than or exactly `gap` bytes apart joined. A
// joined range does not grow past `max_length` (a single input range longer than it stays
// whole). Empty input ranges are dropped.
std::vector<ByteRange> mergeRanges(std::vector<ByteRange> ranges, uint64_t gap,
                                   uint64_t max_length = std::numeric_limits<uint64_t>::max());

// The bytes of fetched (merged) ranges of one object, sliced back into what was asked for.
class FetchedRanges {
 public:
  void add(ByteRange range, tsdb::ByteView bytes);
  // The bytes [offset, offset + length) clamped to the end of the fetched range holding
  // `offset`; empty when no fetched range holds it. Shares the fetched buffer.
  tsdb::ByteView slice(uint64_t offset, uint64_t length) const;

 private:
  std::vector<std::pair<ByteRange, tsdb::ByteView>> parts_;  // sorted by offset
};

}  // namespace strata::store_gateway
