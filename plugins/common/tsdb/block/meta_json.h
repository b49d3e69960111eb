// meta.json of a block: Prometheus' fields (ulid, minTime, maxTime, stats, compaction,
// version 1) plus Thanos' "thanos" object (labels, downsample.resolution, source).
#pragma once

#include <string>

#include "tsdb/block/block_format.h"

namespace strata::tsdb {

std::string metaToJson(const BlockMeta& meta);
// Throws std::runtime_error mentioning `where` on malformed input or an unknown version.
BlockMeta metaFromJson(const std::string& text, const std::string& where);

}  // namespace strata::tsdb
