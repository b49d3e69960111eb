#include "gateway_caches.h"

namespace strata::store_gateway {

KindCache::KindCache(sdk::Host host, const char* kind, uint64_t max_bytes)
    : cache_(max_bytes ? std::make_unique<RangeCache>(max_bytes) : nullptr),
      hits_(host.counter("strata_store_gateway_cache_hits_total",
                         "Bucket reads served by the gateway's in-memory cache of this kind.",
                         {{"kind", kind}})),
      misses_(host.counter("strata_store_gateway_cache_misses_total",
                           "Bucket reads the cache of this kind did not hold (fetched).",
                           {{"kind", kind}})),
      bytes_(host.gauge("strata_store_gateway_cache_bytes",
                        "Bytes held by the gateway's in-memory cache of this kind.",
                        {{"kind", kind}})),
      max_bytes_(host.gauge("strata_store_gateway_cache_max_bytes",
                            "Budget of the gateway's in-memory cache of this kind.",
                            {{"kind", kind}})) {
  max_bytes_.set(double(max_bytes));
}

std::optional<std::vector<uint8_t>> KindCache::get(const std::string& object, uint64_t offset,
                                                   uint64_t length) {
  std::optional<std::vector<uint8_t>> hit;
  if (cache_) hit = cache_->get(object, offset, length);
  (hit ? hits_ : misses_).add();
  return hit;
}

void KindCache::put(const std::string& object, uint64_t offset, uint64_t length,
                    const std::vector<uint8_t>& bytes) {
  if (!cache_) return;
  cache_->put(object, offset, length, bytes);
  bytes_.set(double(cache_->bytes()));
}

GatewayCaches::GatewayCaches(sdk::Host host, uint64_t postings_bytes, uint64_t series_bytes,
                             uint64_t chunks_bytes)
    : postings(host, "postings", postings_bytes),
      series(host, "series", series_bytes),
      chunks(host, "chunks", chunks_bytes) {}

}  // namespace strata::store_gateway
