#include "compact/source_block.h"

#include <algorithm>
#include <vector>

#include "bucket/bucket_layout.h"

namespace strata::compact {

std::vector<std::shared_ptr<const WindowByteSource>> WindowPool::filled(
    const std::shared_ptr<const WindowByteSource>& source) {
  std::lock_guard lock(mu_);
  std::erase_if(lru_, [&](const std::weak_ptr<const WindowByteSource>& w) {
    auto p = w.lock();
    return !p || p == source;
  });
  lru_.push_back(source);
  std::vector<std::shared_ptr<const WindowByteSource>> evict;
  while (lru_.size() > max_) {
    if (auto p = lru_.front().lock()) evict.push_back(std::move(p));
    lru_.erase(lru_.begin());
  }
  return evict;
}

size_t WindowPool::windows() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

WindowByteSource::WindowByteSource(std::shared_ptr<bucket::Bucket> bucket, std::string object,
                                   uint64_t size, uint64_t window_bytes,
                                   std::shared_ptr<TransientFlag> transient,
                                   std::shared_ptr<WindowPool> pool)
    : bucket_(std::move(bucket)),
      object_(std::move(object)),
      size_(size),
      window_bytes_(std::max<uint64_t>(window_bytes, 4096)),
      transient_(std::move(transient)),
      pool_(std::move(pool)) {}

void WindowByteSource::dropWindow() const {
  std::lock_guard lock(mu_);
  window_ = {};
  window_off_ = 0;
}

std::vector<uint8_t> WindowByteSource::fetch(uint64_t offset, uint64_t length) const {
  try {
    ++fetches_;
    auto b = bucket_->getRange(object_, offset, length);
    if (b.size() != length)
      throw std::runtime_error(object_ + ": ranged read of " + std::to_string(length) +
                               " bytes at " + std::to_string(offset) + " returned " +
                               std::to_string(b.size()));
    return b;
  } catch (const bucket::BucketError& e) {
    if (e.isTransient() && transient_) transient_->seen = true;
    throw;
  }
}

tsdb::ByteView WindowByteSource::read(uint64_t offset, uint64_t length) const {
  if (offset > size_ || length > size_ - offset) outOfRange(offset, length);
  if (length == 0) return {};
  tsdb::ByteView out;
  {
    std::lock_guard lock(mu_);
    bool sequential =
        last_end_ != UINT64_MAX && offset >= last_end_ && offset - last_end_ < window_bytes_;
    last_end_ = offset + length;
    if (!window_.empty() && offset >= window_off_ &&
        offset + length <= window_off_ + window_.size())
      return window_.sub(size_t(offset - window_off_), size_t(length));
    if (!sequential || length > window_bytes_) return tsdb::ByteView(fetch(offset, length));
    uint64_t n = std::min(window_bytes_, size_ - offset);
    window_ = tsdb::ByteView(fetch(offset, n));
    window_off_ = offset;
    out = window_.sub(0, size_t(length));
  }
  if (pool_)  // outside our lock: evicting takes the victims' locks
    for (const auto& victim : pool_->filled(shared_from_this())) victim->dropWindow();
  return out;
}

std::unique_ptr<tsdb::BlockReader> openSourceBlock(std::shared_ptr<bucket::Bucket> bkt,
                                                   const tsdb::BlockMeta& meta,
                                                   uint64_t window_bytes,
                                                   std::shared_ptr<TransientFlag> transient,
                                                   std::shared_ptr<WindowPool> pool) {
  const std::string& ulid = meta.ulid;
  try {
    std::vector<std::shared_ptr<const tsdb::ByteSource>> segments;
    // Segments are numbered from 000001 without gaps; a gap would shift every chunk ref.
    std::vector<std::string> names = bkt->listAll(bucket::blockChunksPrefix(ulid), "");
    for (size_t i = 0; i < names.size(); ++i) {
      std::string want = bucket::blockChunkName(ulid, int(i) + 1);
      if (names[i] != want) throw CorruptBlock(ulid, "chunk segment " + want + " missing");
      segments.push_back(std::make_shared<WindowByteSource>(bkt, want, bkt->attributes(want).size,
                                                            window_bytes, transient));
    }
    if (segments.empty() && meta.num_chunks > 0)
      throw CorruptBlock(ulid, "block " + ulid + ": no chunk segments");
    std::string index = bucket::blockIndexName(ulid);
    auto src = std::make_shared<WindowByteSource>(bkt, index, bkt->attributes(index).size,
                                                  window_bytes, transient, pool);
    return tsdb::BlockReader::open(ulid, meta, std::move(src), std::move(segments));
  } catch (const CorruptBlock&) {
    throw;
  } catch (const bucket::BucketError& e) {
    if (e.isTransient()) throw;
    throw CorruptBlock(ulid, "block " + ulid + ": " + e.what());
  } catch (const std::exception& e) {
    if (transient && transient->seen) throw;
    throw CorruptBlock(ulid, "block " + ulid + ": " + e.what());
  }
}

}  // namespace strata::compact
