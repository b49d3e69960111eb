// What the compactor sees in a bucket at one moment: the blocks it may plan with, and the
// blocks the cleaners act on. Built from one top-level listing plus each block's listing and
// small objects (meta.json, marks); never the index or chunks.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bucket/bucket.h"
#include "tsdb/block/meta_json.h"

namespace strata::compact {

struct PartialBlock {
  std::string ulid;
  int64_t newest_object_ms = 0;  // last_modified of its newest object
  bool deletion_marked = false;  // a block whose deletion was interrupted
};

struct BucketState {
  // Complete blocks (meta.json present) without a deletion mark, by ULID.
  std::map<std::string, tsdb::BlockMeta> blocks;
  // Of those, the ones with no-compact-mark.json.
  std::set<std::string> no_compact;
  // Complete blocks with a deletion mark: ULID -> deletion_time (unix seconds).
  std::map<std::string, int64_t> deletion_marked;
  // Blocks without meta.json: uploads in progress or interrupted, interrupted deletions.
  std::vector<PartialBlock> partial;
  // Blocks whose meta.json (or deletion mark) could not be read: ULID -> error. Left alone.
  std::map<std::string, std::string> unreadable;
};

// Lists and reads the bucket. Transient bucket errors propagate (the run fails and is
// retried); a corrupt meta.json is reported in `unreadable`, never thrown.
BucketState syncBucket(bucket::Bucket& bucket);

}  // namespace strata::compact
