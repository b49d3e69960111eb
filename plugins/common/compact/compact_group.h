// Compacting one planned group of a stream into one block in the bucket:
//   1. the sources are read by ranges from the bucket (source_block.h), their series merged
//      in label order (series_merge.h) and written by tsdb::StreamingBlockWriter into
//      <scratch_dir>/<ULID>.tmp, renamed to <scratch_dir>/<ULID> when complete;
//   2. the block is uploaded: index, chunks/..., and meta.json LAST, so until the very last
//      put the new block is partial for every reader; the local copy is then removed.
// The output's meta.json: compaction level = the sources' highest + 1, sources = the union of
// the sources' sources, parents = the sources, thanos labels and resolution of the stream,
// thanos.source "compactor". Marking the sources for deletion is the caller's next step, only
// after this returned.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bucket/bucket.h"
#include "compact/series_merge.h"
#include "compact/stream.h"
#include "tsdb/block/meta_json.h"

namespace strata::compact {

struct CompactOptions {
  std::string scratch_dir;                  // local directory for the output (created)
  uint64_t read_window_bytes = 8ull << 20;  // WindowByteSource window per source object
  size_t chunk_samples = 120;               // re-encoded chunks (vertical merges only)
  // Set to abandon the work (service stop): checked between series; throws Cancelled.
  const std::atomic<bool>* cancel = nullptr;
  // Called every `progress_every` series with (series written, series in the sources).
  std::function<void(uint64_t, uint64_t)> progress;
  uint64_t progress_every = 10000;
};

struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("compaction cancelled") {}
};

struct CompactResult {
  tsdb::BlockMeta meta;  // the output's, as uploaded
  MergeStats stats;
  uint64_t uploaded_bytes = 0;
};

// The output meta.json (without stats: the writer counts them) for `group` in `stream`.
tsdb::BlockMeta outputMeta(const std::vector<tsdb::BlockMeta>& group, const StreamKey& stream,
                           const std::string& ulid);

// Throws CorruptBlock (source_block.h) naming a source that cannot be read, Cancelled, and
// anything else (bucket, local disk) as it comes.
CompactResult compactGroup(std::shared_ptr<bucket::Bucket> bucket,
                           const std::vector<tsdb::BlockMeta>& group, const StreamKey& stream,
                           const CompactOptions& options);

// Uploads the local block directory `dir` as <ULID>/...: index, chunks/* in order, then
// meta.json. Returns the bytes uploaded.
uint64_t uploadBlock(bucket::Bucket& bucket, const std::string& dir, const std::string& ulid);

}  // namespace strata::compact
