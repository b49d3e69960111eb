// The compactor's options, parsed from the component config (docs/plugins/compactor.md).
#pragma once

#include <cstdint>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "bucket/bucket_factory.h"
#include "compact/planner.h"
#include "compact/retention.h"

namespace strata::compactor {

struct CompactorOptions {
  bucket::BucketConfig bucket;
  int64_t interval_ms = 5 * 60'000;
  std::vector<int64_t> block_ranges = compact::kDefaultRanges;
  bool vertical_compaction = false;
  std::vector<std::string> deduplication_replica_labels;
  int64_t delete_delay_ms = 48 * 3600'000LL;
  int64_t partial_block_delete_delay_ms = 48 * 3600'000LL;
  uint64_t read_buffer_bytes = 8ull << 20;
  std::string scratch_dir;    // empty: <data dir>/compact
  bool downsampling = false;  // the store gateway cannot read aggregate chunks yet
  // Downsampling thresholds and retention per resolution (0 = forever).
  compact::ResolutionPolicy resolutions;
};

// A duration in Prometheus' syntax ("2h", "1d12h", "500ms"); throws std::invalid_argument.
int64_t parseDurationMs(const std::string& text);

// Throws std::invalid_argument with the first problem ("block_ranges: ...").
CompactorOptions parseOptions(const sdk::ConfigView& config);
// The first problem, "" when none (lint).
std::string checkOptions(const sdk::ConfigView& config);

}  // namespace strata::compactor
