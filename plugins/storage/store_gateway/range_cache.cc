#include "range_cache.h"

namespace strata::store_gateway {

std::optional<std::vector<uint8_t>> RangeCache::get(const std::string& object, uint64_t offset,
                                                    uint64_t length) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(Key{object, offset, length});
  if (it == entries_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.bytes;
}

void RangeCache::put(const std::string& object, uint64_t offset, uint64_t length,
                     const std::vector<uint8_t>& bytes) {
  if (bytes.size() > max_bytes_) return;
  std::lock_guard lock(mu_);
  Key key{object, offset, length};
  if (entries_.count(key)) return;
  while (bytes_ + bytes.size() > max_bytes_ && !lru_.empty()) {
    auto victim = entries_.find(lru_.back());
    bytes_ -= victim->second.bytes.size();
    entries_.erase(victim);
    lru_.pop_back();
  }
  lru_.push_front(key);
  entries_.emplace(std::move(key), Entry{bytes, lru_.begin()});
  bytes_ += bytes.size();
}

uint64_t RangeCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace strata::store_gateway
