// A source block read from the bucket by ranges, without downloading it: compaction reads a
// block front to back (the index's series section and the chunk segments in ref order), so
// each object is read through a read-ahead window: one ranged GET fetches `window_bytes` and
// the reads that follow are served from it. Memory per open object: one window; requests per
// object: about its size / window_bytes. Larger single reads (a big symbol table) go straight
// to the bucket.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

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

class WindowByteSource final : public tsdb::ByteSource {
 public:
  WindowByteSource(std::shared_ptr<bucket::Bucket> bucket, std::string object, uint64_t size,
                   uint64_t window_bytes, std::shared_ptr<TransientFlag> transient);
  uint64_t size() const override { return size_; }
  tsdb::ByteView read(uint64_t offset, uint64_t length) const override;
  const std::string& name() const override { return object_; }
  uint64_t fetches() const { return fetches_; }

 private:
  std::vector<uint8_t> fetch(uint64_t offset, uint64_t length) const;

  std::shared_ptr<bucket::Bucket> bucket_;
  std::string object_;
  uint64_t size_, window_bytes_;
  std::shared_ptr<TransientFlag> transient_;
  mutable std::mutex mu_;
  mutable uint64_t window_off_ = 0;
  mutable tsdb::ByteView window_;
  mutable uint64_t fetches_ = 0;
};

// Opens a block of the bucket for reading; `meta` is its meta.json. Throws CorruptBlock when
// the index or the chunk segments are missing or do not parse, and the BucketError of a
// transient failure as it is.
std::unique_ptr<tsdb::BlockReader> openSourceBlock(std::shared_ptr<bucket::Bucket> bucket,
                                                   const tsdb::BlockMeta& meta,
                                                   uint64_t window_bytes,
                                                   std::shared_ptr<TransientFlag> transient);

}  // namespace strata::compact
