// Compaction streams: blocks that may be compacted together share their external labels
// (thanos.labels, the tenant label included) and their downsampling resolution, as in Thanos'
// compaction groups. Replica labels (deduplication_replica_labels) are dropped from the
// external labels first, so the blocks of HA replicas land in one stream (and overlap there).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tsdb/block/meta_json.h"

namespace strata::compact {

struct StreamKey {
  std::map<std::string, std::string> labels;  // external labels without replica labels
  int64_t resolution_ms = 0;
  auto operator<=>(const StreamKey&) const = default;
  // For logs and metrics: {a="1",b="2"}@0.
  std::string str() const;
};

StreamKey streamKeyOf(const tsdb::BlockMeta& meta, const std::vector<std::string>& replica_labels);

// Blocks grouped by stream, each stream sorted by (minTime, ULID).
std::map<StreamKey, std::vector<tsdb::BlockMeta>> groupByStream(
    const std::vector<tsdb::BlockMeta>& blocks, const std::vector<std::string>& replica_labels);

}  // namespace strata::compact
