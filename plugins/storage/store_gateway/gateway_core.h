// The store gateway's state: the set of blocks loaded from the bucket (synced periodically)
// and the queries over them. Independent of the plugin ABI so tests drive it directly.
#pragma once

#include <strata/plugin_abi.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <shared_mutex>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "bucket/bucket.h"
#include "bucket_block.h"
#include "gateway_caches.h"
#include "gateway_options.h"
#include "matchers.h"
#include "resolution_plan.h"
#include "select_limits.h"
#include "series_stream.h"

namespace strata::store_gateway {

struct SeriesSamples {
  tsdb::LabelSet labels;
  std::vector<Sample> samples;  // time order, one per timestamp
};

class GatewayCore {
 public:
  GatewayCore(sdk::Host host, GatewayOptions options, std::shared_ptr<bucket::Bucket> bucket);

  // Lists the bucket and loads new blocks, drops vanished or deletion-marked ones. Throws
  // bucket::BucketError when the listing fails (the block set stays as it was).
  void sync();
  // ULIDs of the loaded blocks.
  std::vector<std::string> loadedBlocks() const;
  // Bytes held by the in-memory caches (every kind).
  uint64_t cacheBytes() const;

  // What the loaded blocks of `tenant` (empty: all) hold: their time range (inclusive; empty
  // when there is none, so a query tier skips this gateway) for the query edge's info slot.
  sdk::SourceInfo info(const std::string& tenant) const;

  // Samples in [min_t, max_t] (inclusive, ms) of the series matching all matchers, merged
  // across blocks; `tenant` empty = every block, else only blocks whose external label
  // tenant_label_name equals it (default_tenant for blocks without it). Series in label order.
  // Waits for a select slot (throws LimitError past the queue limit or timeout), reads each
  // block's candidate postings, and returns the series as a stream (series_stream.h) that
  // holds the slot until destroyed.
  // Raw and downsampled blocks: `res` picks which resolution answers each part of the range
  // (resolution_plan.h) and which aggregate of a downsampled block's chunks feeds the samples
  // (aggregate_read.h).
  std::unique_ptr<SeriesStream> selectStream(const std::string& tenant,
                                             const std::vector<Matcher>& m, int64_t min_t,
                                             int64_t max_t, const ResolutionHints& res = {}) const;
  // The stream drained (tests, and callers that want everything at once).
  std::vector<SeriesSamples> select(const std::string& tenant, const std::vector<Matcher>& m,
                                    int64_t min_t, int64_t max_t,
                                    const ResolutionHints& res = {}) const;
  std::vector<std::string> labelNames(const std::string& tenant, const std::vector<Matcher>& m,
                                      int64_t min_t, int64_t max_t) const;
  std::vector<std::string> labelValues(const std::string& tenant, const std::string& name,
                                       const std::vector<Matcher>& m, int64_t min_t,
                                       int64_t max_t) const;

 private:
  using BlockPtr = std::shared_ptr<const BucketBlock>;
  std::vector<BlockPtr> blocksFor(const std::string& tenant, int64_t min_t, int64_t max_t) const;
  void skip(const std::string& ulid, const std::string& reason, const std::string& why);
  bool inShard(const tsdb::BlockMeta& meta) const;

  sdk::Host host_;
  GatewayOptions options_;
  std::shared_ptr<bucket::Bucket> bucket_;

  mutable std::shared_mutex mu_;
  std::map<std::string, BlockPtr> blocks_;  // by ULID
  std::shared_ptr<GatewayCaches> caches_;
  std::shared_ptr<SelectLimiter> limiter_;
  std::set<std::string> skipped_;  // corrupt blocks, not retried until they vanish

  sdk::Metric cache_bytes_, headers_built_, selects_rejected_;
  sdk::Metric loaded_, syncs_, sync_failures_, bytes_, skipped_meta_, skipped_index_,
      skipped_chunks_;
};

}  // namespace strata::store_gateway
