#include "tsdb/fileutil/byte_source.h"

#include <algorithm>
#include <stdexcept>

namespace strata::tsdb {
void ByteSource::outOfRange(uint64_t offset, uint64_t length) const {
  throw std::runtime_error(name() + ": read of " + std::to_string(length) + " bytes at " +
                           std::to_string(offset) + " past the end (" + std::to_string(size()) +
                           " bytes)");
}

ByteView::ByteView(std::vector<uint8_t> owned)
    : owned_(std::make_shared<const std::vector<uint8_t>>(std::move(owned))),
      p_(owned_->data()),
      n_(owned_->size()) {}

ByteView ByteSource::readUpTo(uint64_t offset, uint64_t length) const {
  uint64_t n = size();
  if (offset >= n) return read(offset, 0);
  return read(offset, std::min(length, n - offset));
}

ByteView CallbackByteSource::read(uint64_t offset, uint64_t length) const {
  if (offset > size_ || length > size_ - offset) outOfRange(offset, length);
  if (length == 0) return {};
  std::vector<uint8_t> b = fetch_(offset, length);
  if (b.size() != length)
    throw std::runtime_error(name_ + ": fetch of " + std::to_string(length) + " bytes at " +
                             std::to_string(offset) + " returned " + std::to_string(b.size()));
  return ByteView(std::move(b));
}

}  // namespace strata::tsdb
