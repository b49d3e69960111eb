#include "range_merge.h"

#include <algorithm>

namespace strata::store_gateway {

std::vector<ByteRange> mergeRanges(std::vector<ByteRange> ranges, uint64_t gap,
                                   uint64_t max_length) {
  std::erase_if(ranges, [](const ByteRange& r) { return r.length == 0; });
  std::sort(ranges.begin(), ranges.end(),
            [](const ByteRange& a, const ByteRange& b) { return a.offset < b.offset; });
  std::vector<ByteRange> out;
  for (const auto& r : ranges) {
    if (!out.empty()) {
      ByteRange& last = out.back();
      bool close = r.offset <= last.end() || r.offset - last.end() <= gap;
      uint64_t end = std::max(last.end(), r.end());
      if (close && end - last.offset <= max_length) {
        last.length = end - last.offset;
        continue;
      }
      if (r.end() <= last.end()) continue;  // inside the last range already
    }
    out.push_back(r);
  }
  return out;
}

void FetchedRanges::add(ByteRange range, tsdb::ByteView bytes) {
  auto at = std::upper_bound(parts_.begin(), parts_.end(), range.offset,
                             [](uint64_t off, const std::pair<ByteRange, tsdb::ByteView>& p) {
                               return off < p.first.offset;
                             });
  parts_.insert(at, {range, std::move(bytes)});
}

tsdb::ByteView FetchedRanges::slice(uint64_t offset, uint64_t length) const {
  auto it = std::upper_bound(parts_.begin(), parts_.end(), offset,
                             [](uint64_t off, const std::pair<ByteRange, tsdb::ByteView>& p) {
                               return off < p.first.offset;
                             });
  if (it == parts_.begin()) return {};
  --it;
  const auto& [range, bytes] = *it;
  if (offset >= range.offset + bytes.size()) return {};
  uint64_t from = offset - range.offset;
  return bytes.sub(size_t(from), size_t(std::min<uint64_t>(length, bytes.size() - from)));
}

}  // namespace strata::store_gateway
