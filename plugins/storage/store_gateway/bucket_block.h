// One block of the bucket opened for reading without downloading it: meta.json is fetched
// whole (small), the index through a local index-header (index_header_cache.h) plus ranged
// GETs for postings and series, the chunk segments by ranged GETs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bucket/bucket.h"
#include "gateway_caches.h"
#include "tsdb/block/meta_json.h"
#include "tsdb/index/index_reader.h"

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

struct ChunkSegment {
  std::string object;  // bucket object name
  uint64_t size = 0;
};

struct BucketBlock {
  tsdb::BlockMeta meta;
  std::shared_ptr<bucket::Bucket> bucket;
  std::string index_object;
  uint64_t index_size = 0;
  std::unique_ptr<tsdb::IndexReader> index;  // postings lists through the postings cache
  std::vector<ChunkSegment> segments;        // 000001 first
};

// Called with the size of every range fetched from the bucket (for the bytes metric).
using FetchObserver = std::function<void(uint64_t bytes)>;

struct BlockOpenOptions {
  FetchObserver observe;
  std::shared_ptr<GatewayCaches> caches;  // may be null
  // Where index-headers live; empty: the index's tables are read into memory instead.
  std::string header_dir;
  // Asked once meta.json is parsed; false: nothing more is read and nullptr returned.
  std::function<bool(const tsdb::BlockMeta&)> wanted;
  std::function<void()> header_built;  // called when the index-header was (re)built
};

// Throws BlockSkipped with reason "meta_json" (unreadable or corrupt meta.json, or its ulid
// differs from the directory), "index" (missing or corrupt index), "chunks" (no chunk
// segment, or one missing); a transient bucket error is thrown as the bucket::BucketError
// (worth trying again at the next sync, not a property of the block).
std::shared_ptr<BucketBlock> openBucketBlock(std::shared_ptr<bucket::Bucket> bucket,
                                             const std::string& ulid,
                                             const BlockOpenOptions& options);

}  // namespace strata::store_gateway
