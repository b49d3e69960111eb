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
#include "gateway_options.h"

namespace re2 {
class RE2;
}

namespace strata::store_gateway {

// A compiled label matcher; a label the series lacks matches as "".
class Matcher {
 public:
  Matcher(strata_match_type type, std::string name, std::string value);
  bool matches(const std::string& value) const;
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  strata_match_type type() const { return type_; }

 private:
  strata_match_type type_;
  std::string name_, value_;
  std::shared_ptr<re2::RE2> re_;
};
// Throws std::invalid_argument for a bad regex or type.
std::vector<Matcher> compileMatchers(const strata_matcher* matchers, size_t n);

struct Sample {
  int64_t t;
  double v;
};
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
  // Bytes held by the range cache (0 without one).
  uint64_t cacheBytes() const;

  // What the loaded blocks of `tenant` (empty: all) hold: their time range (inclusive; empty
  // when there is none, so a query tier skips this gateway) for the query edge's info slot.
  sdk::SourceInfo info(const std::string& tenant) const;

  // Samples in [min_t, max_t] (inclusive, ms) of the series matching all matchers, merged
  // across blocks; `tenant` empty = every block, else only blocks whose external label
  // tenant_label_name equals it (default_tenant for blocks without it). Series in label order.
  std::vector<SeriesSamples> select(const std::string& tenant, const std::vector<Matcher>& m,
                                    int64_t min_t, int64_t max_t) const;
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
  std::shared_ptr<RangeCache> cache_;       // null when cache_max_bytes is 0
  std::set<std::string> skipped_;           // corrupt blocks, not retried until they vanish

  sdk::Metric cache_bytes_;
  sdk::Metric loaded_, syncs_, sync_failures_, bytes_, skipped_meta_, skipped_index_,
      skipped_chunks_;
};

}  // namespace strata::store_gateway
