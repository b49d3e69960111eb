// Downsampling one block of the bucket into a new block of the next resolution (raw -> 5m,
// 5m -> 1h), as Thanos' compactor does: the source is read by ranges (source_block.h), one
// series at a time, each series' chunks turned into aggregate chunks (downsample.h) and
// written by tsdb::StreamingBlockWriter into the scratch dir, then uploaded with meta.json
// last (compact_group.h's uploadBlock). The source stays: retention removes it later.
// The output's meta.json: a new ULID, the source's time range, compaction level, sources and
// parents (Thanos keeps them, so the sources tell which raw blocks a downsampled block
// covers), external labels, thanos.downsample.resolution = the new resolution,
// thanos.source "compactor".
#pragma once

#include <memory>
#include <string>

#include "bucket/bucket.h"
#include "compact/compact_group.h"
#include "tsdb/block/meta_json.h"

namespace strata::compact {

// The next resolution of a block's (5m after raw, 1h after 5m), 0 after 1h.
int64_t nextResolution(int64_t resolution_ms);

tsdb::BlockMeta downsampledMeta(const tsdb::BlockMeta& source, int64_t resolution_ms,
                                const std::string& ulid);

struct DownsampleResult {
  tsdb::BlockMeta meta;  // the output's, as uploaded
  uint64_t uploaded_bytes = 0;
};

// Throws CorruptBlock naming the source when it cannot be read (or holds chunks that cannot
// be downsampled yet: native histograms), Cancelled, and anything else as it comes.
DownsampleResult downsampleBlock(std::shared_ptr<bucket::Bucket> bucket,
                                 const tsdb::BlockMeta& source, const CompactOptions& options);

}  // namespace strata::compact
