// Bytes copied out of the head for one select: chunk copies are carved from a few large
// blocks instead of two heap allocations per chunk, and freed together when the last
// reader of the selection lets go of the arena.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace strata::block_store {

class ByteArena {
 public:
  static constexpr size_t kBlockBytes = 256 * 1024;

  uint8_t* alloc(size_t n) {
    if (n > left_) {
      size_t size = n > kBlockBytes ? n : kBlockBytes;
      blocks_.push_back(std::make_unique_for_overwrite<uint8_t[]>(size));
      next_ = blocks_.back().get();
      left_ = size;
    }
    uint8_t* p = next_;
    next_ += n;
    left_ -= n;
    return p;
  }

 private:
  std::vector<std::unique_ptr<uint8_t[]>> blocks_;
  uint8_t* next_ = nullptr;
  size_t left_ = 0;
};

}  // namespace strata::block_store
