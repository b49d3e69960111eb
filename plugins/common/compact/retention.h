// Which blocks the compactor downsamples, and which retention removes, per resolution, by
// Thanos' rules:
//   - a block is downsampled to the next resolution when its time range is at least the
//     resolution's threshold (raw: 40h, 5m: 10d by default) and no block of the next
//     resolution with the same external labels already covers its sources (a downsampled
//     block keeps the sources of the block it came from);
//   - a block whose maxTime is older than now - retention of its resolution is past retention
//     (0 = kept forever): only whole blocks.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tsdb/block/meta_json.h"

namespace strata::compact {

struct ResolutionPolicy {
  int64_t downsample_raw_after_ms = 40 * 3600'000LL;
  int64_t downsample_5m_after_ms = 10 * 24 * 3600'000LL;
  int64_t retention_raw_ms = 0, retention_5m_ms = 0, retention_1h_ms = 0;  // 0 = forever
  int64_t retentionOf(int64_t resolution_ms) const;
};

// Blocks to downsample, oldest first. `blocks`: the complete, unmarked blocks;
// `no_downsample`: ULIDs left out (unreadable). `replica_labels` as for streams. Blocks whose
// output would already be past its own resolution's retention at `now_ms` are left out.
std::vector<tsdb::BlockMeta> downsampleCandidates(const std::vector<tsdb::BlockMeta>& blocks,
                                                  const std::set<std::string>& no_downsample,
                                                  const ResolutionPolicy& policy, int64_t now_ms,
                                                  const std::vector<std::string>& replica_labels);

// ULIDs of the blocks past the retention of their resolution at now_ms.
std::vector<std::string> pastRetention(const std::vector<tsdb::BlockMeta>& blocks,
                                       const ResolutionPolicy& policy, int64_t now_ms);

}  // namespace strata::compact
