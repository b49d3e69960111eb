// A source block read from the bucket by ranges, without downloading it: compaction reads a
// block front to back (the index's series section and the chunk segments in ref order), so
// an object read sequentially is read through a read-ahead window: one ranged GET fetches
// `window_bytes` and the reads that follow are served from it. A read that does not follow
// the previous one (the index's table of contents, a segment header) fetches just its bytes,
// and so do reads larger than a window (a big symbol table). The windows of all the objects
// of a compaction share a WindowPool: past its size the least recently filled window is
// dropped, so memory is bounded by pool size x window_bytes whatever the number of segments.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "bucket/bucket.h"
#include "tsdb/block/block_reader.h"

namespace strata::compact {

// The block's own content is bad (missing or corrupt index or chunks): worth a no-compact
// mark. Anything else thrown while reading a block (a transient bucket error) is not.
class CorruptBlock : public std::runtime_error {
 public:
  CorruptBlock(std::string ulid, const std::string& what)
      : std::runtime_error(what), ulid_(std::move(ulid)) {}
  const std::string& ulid() const { return ulid_; }

 private:
  std::string ulid_;
};

// Raised by reads of a SourceBlock after a transient bucket error: the readers wrap the
// errors of their ByteSources, so the flag tells the two kinds of failure apart.
struct TransientFlag {
  std::atomic<bool> seen{false};
};

class WindowByteSource;

// At most `max_windows` windows alive among the sources that share the pool.
class WindowPool {
 public:
  explicit WindowPool(size_t max_windows) : max_(std::max<size_t>(max_windows, 1)) {}
  // `source` filled its window: it becomes the most recent; returns the sources whose windows
  // must go (dropped by the caller, outside any lock).
  std::vector<std::shared_ptr<const WindowByteSource>> filled(
      const std::shared_ptr<const WindowByteSource>& source);
  size_t windows() const;

 private:
  mutable std::mutex mu_;
  size_t max_;
  std::vector<std::weak_ptr<const WindowByteSource>> lru_;  // oldest first
};

class WindowByteSource final : public tsdb::ByteSource,
                               public std::enable_shared_from_this<WindowByteSource> {
 public:
  WindowByteSource(std::shared_ptr<bucket::Bucket> bucket, std::string object, uint64_t size,
                   uint64_t window_bytes, std::shared_ptr<TransientFlag> transient,
                   std::shared_ptr<WindowPool> pool = nullptr);
  uint64_t size() const override { return size_; }
  tsdb::ByteView read(uint64_t offset, uint64_t length) const override;
  const std::string& name() const override { return object_; }
  uint64_t fetches() const { return fetches_; }
  // Releases the window (the pool evicts it).
  void dropWindow() const;

 private:
  std::vector<uint8_t> fetch(uint64_t offset, uint64_t length) const;

  std::shared_ptr<bucket::Bucket> bucket_;
  std::string object_;
  uint64_t size_, window_bytes_;
  std::shared_ptr<TransientFlag> transient_;
  std::shared_ptr<WindowPool> pool_;
  mutable std::mutex mu_;
  mutable uint64_t last_end_ = UINT64_MAX;  // end of the previous read; none yet
  mutable uint64_t window_off_ = 0;
  mutable tsdb::ByteView window_;
  mutable std::atomic<uint64_t> fetches_{0};
};

// Opens a block of the bucket for reading; `meta` is its meta.json. Throws CorruptBlock when
// the index or the chunk segments are missing or do not parse, and the BucketError of a
// transient failure as it is.
std::unique_ptr<tsdb::BlockReader> openSourceBlock(std::shared_ptr<bucket::Bucket> bucket,
                                                   const tsdb::BlockMeta& meta,
                                                   uint64_t window_bytes,
                                                   std::shared_ptr<TransientFlag> transient,
                                                   std::shared_ptr<WindowPool> pool = nullptr);

}  // namespace strata::compact
