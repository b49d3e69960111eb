// meta.json of a block: Prometheus' fields (ulid, minTime, maxTime, stats, compaction,
// version 1) plus Thanos' "thanos" object (labels, downsample.resolution, source).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace strata::tsdb {

// A parent of a compacted block (meta.json compaction.parents, as Prometheus writes it).
struct BlockDesc {
  std::string ulid;
  int64_t min_time = 0, max_time = 0;
  bool operator==(const BlockDesc&) const = default;
};

struct BlockMeta {
  std::string ulid;
  int64_t min_time = 0, max_time = 0;  // [min, max) like Prometheus
  uint64_t num_samples = 0, num_series = 0, num_chunks = 0;
  int compaction_level = 1;
  std::vector<std::string> compaction_sources;  // ULIDs; the block's own for level 1
  std::vector<BlockDesc> compaction_parents;    // the blocks compacted into this one (level > 1)
  // Thanos extension.
  std::map<std::string, std::string> thanos_labels;  // external labels (tenant included)
  int64_t downsample_resolution_ms = 0;
  // Who wrote the block, in Thanos' terms ("receive", "sidecar", "compactor", ...): set by the
  // writer (BlockWriter's `source`), never defaulted; "" when read from a block without the
  // Thanos section (one that Prometheus wrote).
  std::string thanos_source;
};

// Throws std::invalid_argument when meta.thanos_source is empty.
std::string metaToJson(const BlockMeta& meta);
// Throws std::runtime_error mentioning `where` on malformed input or an unknown version.
BlockMeta metaFromJson(const std::string& text, const std::string& where);

}  // namespace strata::tsdb
