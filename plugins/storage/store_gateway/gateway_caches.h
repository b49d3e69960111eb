// The gateway's in-memory caches, one bounded RangeCache per kind of bucket read, each with
// its own budget and metrics labelled kind="postings"|"series"|"chunks":
//   postings  postings lists (and index reads a header cannot answer), keyed by index range;
//   series    series entries, keyed by (index, ref);
//   chunks    chunks, keyed by (segment, offset).
// A kind with a budget of 0 caches nothing. See docs/plugins/store_gateway.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "range_cache.h"

namespace strata::store_gateway {

class KindCache {
 public:
  KindCache(sdk::Host host, const char* kind, uint64_t max_bytes);
  std::optional<std::vector<uint8_t>> get(const std::string& object, uint64_t offset,
                                          uint64_t length);
  void put(const std::string& object, uint64_t offset, uint64_t length,
           const std::vector<uint8_t>& bytes);
  uint64_t bytes() const { return cache_ ? cache_->bytes() : 0; }
  uint64_t maxBytes() const { return cache_ ? cache_->maxBytes() : 0; }

 private:
  std::unique_ptr<RangeCache> cache_;  // null for a budget of 0
  sdk::Metric hits_, misses_, bytes_, max_bytes_;
};

struct GatewayCaches {
  GatewayCaches(sdk::Host host, uint64_t postings_bytes, uint64_t series_bytes,
                uint64_t chunks_bytes);
  uint64_t bytes() const { return postings.bytes() + series.bytes() + chunks.bytes(); }
  KindCache postings, series, chunks;
};

}  // namespace strata::store_gateway
