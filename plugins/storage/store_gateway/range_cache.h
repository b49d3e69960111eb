// A bounded in-memory LRU of byte ranges fetched from the bucket, keyed by (object, offset,
// length): repeated reads of the same index or chunk range (the same query again, postings of
// a common label) are served without a GET. Thread-safe. Bound: the sum of the cached ranges'
// sizes; a range larger than the bound is never cached.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace strata::store_gateway {

class RangeCache {
 public:
  explicit RangeCache(uint64_t max_bytes) : max_bytes_(max_bytes) {}
  std::optional<std::vector<uint8_t>> get(const std::string& object, uint64_t offset,
                                          uint64_t length);
  void put(const std::string& object, uint64_t offset, uint64_t length,
           const std::vector<uint8_t>& bytes);
  uint64_t bytes() const;
  uint64_t maxBytes() const { return max_bytes_; }

 private:
  using Key = std::tuple<std::string, uint64_t, uint64_t>;
  struct Entry {
    std::vector<uint8_t> bytes;
    std::list<Key>::iterator lru;  // position in lru_ (front = most recent)
  };
  uint64_t max_bytes_;
  mutable std::mutex mu_;
  std::map<Key, Entry> entries_;
  std::list<Key> lru_;
  uint64_t bytes_ = 0;
};

}  // namespace strata::store_gateway
