// The store gateway's options, parsed from the component config (docs/plugins/store_gateway.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "bucket/bucket_factory.h"
#include "relabel/relabel_rule.h"

namespace strata::store_gateway {

struct GatewayOptions {
  bucket::BucketConfig bucket;
  int64_t sync_interval_ms = 180000;
  // Time sharding, as offsets in ms relative to "now" at each sync ("-2w" = -1209600000);
  // nullopt = unbounded on that side.
  std::optional<int64_t> min_time_offset_ms, max_time_offset_ms;
  uint64_t cache_max_bytes = 64ull << 20;  // RangeCache bound; 0 = no cache
  std::string cache_dir;                   // empty: the component's data dir
  std::string tenant_label_name = "tenant_id";
  std::string default_tenant = "default-tenant";  // of blocks without the tenant label
  // Thanos' --selector.relabel-config: applied to each block's external labels (plus
  // __block_id); a block they drop is not served. Empty: every block.
  std::vector<relabel::Rule> selector_relabel_configs;
};

// True when `rules` keep a block with these external labels and ULID.
bool selectorKeeps(const std::vector<relabel::Rule>& rules,
                   const std::map<std::string, std::string>& external_labels,
                   const std::string& ulid);

// A Thanos-style relative duration: an optional sign, then one or more <number><unit> groups
// with units ms, s, m, h, d, w, y ("-2w", "-36h", "0s", "-1d12h"). Empty: nullopt. Throws
// std::invalid_argument on anything else (absolute RFC3339 times are not supported yet).
std::optional<int64_t> parseRelativeDuration(const std::string& text);

// Throws std::invalid_argument with the first problem.
GatewayOptions parseOptions(const sdk::ConfigView& config);
// The first problem, "" when none (lint).
std::string checkOptions(const sdk::ConfigView& config);

}  // namespace strata::store_gateway
