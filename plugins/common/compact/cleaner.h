// Removing blocks from the bucket safely, as Thanos' compactor does:
//   - a block is deleted meta.json FIRST (from then on every reader sees it as partial and
//     leaves it alone), then its other objects, its deletion mark last;
//   - superseded blocks: a block whose compaction sources are all in another block of the
//     same stream (its data is there: the compactor crashed between uploading an output and
//     marking the sources) gets a deletion mark instead of being compacted again.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bucket/bucket.h"
#include "tsdb/block/meta_json.h"

namespace strata::compact {

// Deletes every object of the block, meta.json first and deletion-mark.json last. Objects
// already gone count as deleted. Returns the number of objects removed.
size_t deleteBlock(bucket::Bucket& bucket, const std::string& ulid);

// The ULIDs of `blocks` (one stream) whose sources are contained in another block's sources
// (for equal source sets, every block but the smallest ULID: one compaction uploaded twice).
std::vector<std::string> supersededBlocks(const std::vector<tsdb::BlockMeta>& blocks);

}  // namespace strata::compact
