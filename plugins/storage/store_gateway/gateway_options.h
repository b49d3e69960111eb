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
  // In-memory caches: cache_max_bytes is the total, split 1/4 postings, 1/4 series, 1/2
  // chunks unless a kind's own budget is given (gateway_caches.h). 0 = no cache.
  uint64_t cache_max_bytes = 64ull << 20;
  std::optional<uint64_t> postings_cache_bytes, series_cache_bytes, chunks_cache_bytes;
  std::string cache_dir;  // index-headers; empty: the component's data dir (tests: in memory)
  // Streaming selects (block_series.h, select_limits.h).
  uint64_t series_batch_size = 256;
  uint64_t fetch_gap_bytes = 16 << 10;
  uint64_t max_concurrent_selects = 8;  // 0 = unlimited
  uint64_t max_queued_selects = 32;
  int64_t select_queue_timeout_ms = 30000;
  uint64_t max_fetched_bytes_per_query = 0;  // 0 = unlimited
  std::string tenant_label_name = "tenant_id";
  std::string default_tenant = "default-tenant";  // of blocks without the tenant label
  std::string admin_listen_address;               // serves POST .../sync when set
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

uint64_t postingsCacheBytes(const GatewayOptions& o);
uint64_t seriesCacheBytes(const GatewayOptions& o);
uint64_t chunksCacheBytes(const GatewayOptions& o);

// Throws std::invalid_argument with the first problem.
GatewayOptions parseOptions(const sdk::ConfigView& config);
// The first problem, "" when none (lint).
std::string checkOptions(const sdk::ConfigView& config);

}  // namespace strata::store_gateway
