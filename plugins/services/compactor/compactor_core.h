// One compactor run over a bucket, with its metrics and logs (docs/plugins/compactor.md):
//   1. sync the bucket's block metas (partial, deletion-marked and no-compact blocks apart);
//   2. mark superseded blocks (sources of an output already in the bucket: a crash came
//      between the output's meta.json and the marks) instead of compacting them again;
//   3. plan each stream, compact each planned group, mark its sources for deletion; again
//      until no stream has a group (overlaps without vertical compaction are reported and
//      skipped; a corrupt source gets a no-compact mark; a failing stream is left for the run);
//   4. delete blocks whose deletion mark is older than delete_delay, finish interrupted
//      deletions, delete partial blocks untouched for partial_block_delete_delay.
//   3b. downsample (when on) the blocks that are long enough and not downsampled yet: raw ->
//      5m, 5m -> 1h; then 3 again for the new blocks' streams, until nothing is left to do;
//   3c. mark the blocks past the retention of their resolution for deletion;
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "bucket/bucket.h"
#include "compact/bucket_state.h"
#include "compact/stream.h"
#include "compactor_options.h"

namespace strata::compactor {

class CompactorCore {
 public:
  // `cancel` (may be null) abandons a run between series and between groups.
  CompactorCore(sdk::Host host, CompactorOptions options, std::shared_ptr<bucket::Bucket> bucket,
                std::string scratch_dir, const std::atomic<bool>* cancel = nullptr);
  // One run at wall-clock time now_ms; true when every step succeeded.
  bool run(int64_t now_ms);

 private:
  void cleanScratch();
  void markSuperseded(compact::BucketState& st, int64_t now_s);
  // One planning pass over every stream; the number of groups compacted or handled.
  size_t compactPass(compact::BucketState& st, int64_t now_s);
  bool compactOne(compact::BucketState& st, const compact::StreamKey& key,
                  const std::vector<tsdb::BlockMeta>& group, bool vertical, int64_t now_s);
  // Downsamples every candidate once; the number of blocks uploaded or handled.
  size_t downsamplePass(compact::BucketState& st, int64_t now_ms);
  void applyRetention(compact::BucketState& st, int64_t now_ms);
  void reportOverlap(const compact::StreamKey& key, const std::vector<tsdb::BlockMeta>& blocks);
  void deleteExpired(const compact::BucketState& st, int64_t now_ms);

  sdk::Host host_;
  CompactorOptions options_;
  std::shared_ptr<bucket::Bucket> bucket_;
  std::string scratch_dir_;
  const std::atomic<bool>* cancel_;
  // Per run.
  std::set<compact::StreamKey> failed_streams_;
  std::set<std::string> failed_downsamples_;
  std::set<std::vector<std::string>> overlaps_seen_;
  bool run_ok_ = true;

  sdk::Metric runs_, run_failures_, groups_compacted_, group_failures_, blocks_compacted_,
      blocks_marked_, blocks_no_compact_, blocks_deleted_, partial_deleted_, overlaps_, backlog_,
      last_success_, series_written_, samples_written_, downsampled_5m_, downsampled_1h_,
      downsample_failures_, retention_marked_;
};

}  // namespace strata::compactor
