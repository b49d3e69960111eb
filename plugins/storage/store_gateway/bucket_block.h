// One block of the bucket opened for reading without downloading it: meta.json is fetched
// whole (small), the index and the chunk segments are ByteSources whose reads are ranged GETs.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "bucket/bucket.h"
#include "range_cache.h"
#include "tsdb/block/block_reader.h"

namespace strata::store_gateway {

// Why a block was not loaded; `reason` is the label of strata_store_gateway_blocks_skipped_total.
class BlockSkipped : public std::runtime_error {
 public:
  BlockSkipped(std::string reason, const std::string& what)
      : std::runtime_error(what), reason_(std::move(reason)) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

struct BucketBlock {
  tsdb::BlockMeta meta;
  std::unique_ptr<tsdb::BlockReader> reader;
};

// Called with the size of every range fetched from the bucket (for the bytes metric).
using FetchObserver = std::function<void(uint64_t bytes)>;

// Throws BlockSkipped with reason "meta_json" (unreadable or corrupt meta.json, or its ulid
// differs from the directory), "index" (missing or corrupt index), "chunks" (no chunk
// segment, or one missing); a transient bucket error is thrown as the bucket::BucketError
// (worth trying again at the next sync, not a property of the block).
// `cache` (may be null) serves and keeps the index and chunk ranges read.
std::shared_ptr<BucketBlock> openBucketBlock(std::shared_ptr<bucket::Bucket> bucket,
                                             const std::string& ulid, FetchObserver observe,
                                             std::shared_ptr<RangeCache> cache = nullptr);

}  // namespace strata::store_gateway
