// Which blocks of one stream to compact next, by Thanos' rules (its tsdbBasedPlanner, itself
// Prometheus' leveled planner), written afresh:
//   1. Overlapping blocks first: the first set of blocks whose [minTime, maxTime) overlap.
//      With vertical compaction they are the group; without, they are reported as an overlap
//      and left out of planning (never a halt), and the search goes on with the rest.
//   2. Otherwise by levels: the newest block (largest minTime) is left out, so a block just
//      uploaded is not compacted at once; for each range after the first (8h, 2d, 14d), the
//      blocks are split into aligned windows [k*range, (k+1)*range) (blocks crossing a window
//      boundary are passed over); the first window holding at least two blocks that either
//      spans the whole range or ends before the newest remaining block starts is the group.
// Blocks with a no-compact mark are never planned. One group per call; the caller compacts
// it, syncs and plans again.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "tsdb/block/meta_json.h"

namespace strata::compact {

// Thanos' defaults: 2h, 8h, 2d, 14d.
inline const std::vector<int64_t> kDefaultRanges = {2 * 3600'000LL, 8 * 3600'000LL, 48 * 3600'000LL,
                                                    14 * 24 * 3600'000LL};

struct PlannerOptions {
  std::vector<int64_t> ranges = kDefaultRanges;  // ascending, each a multiple of the previous
  bool vertical_compaction = false;
};

struct Plan {
  std::vector<tsdb::BlockMeta> group;  // to compact into one block; empty: nothing to do
  bool vertical = false;               // the group overlaps (merge samples by timestamp)
  std::vector<std::vector<tsdb::BlockMeta>> overlaps;  // reported, not merged
};

// `blocks` sorted by (minTime, ULID), as groupByStream returns them.
Plan planStream(const std::vector<tsdb::BlockMeta>& blocks, const std::set<std::string>& no_compact,
                const PlannerOptions& options);

// The first set of overlapping blocks in `sorted` (empty: none); in the input's order.
std::vector<tsdb::BlockMeta> firstOverlap(const std::vector<tsdb::BlockMeta>& sorted);

// Checks ranges: not empty, positive, ascending, each a multiple of the previous. "" if fine.
std::string checkRanges(const std::vector<int64_t>& ranges);

}  // namespace strata::compact
