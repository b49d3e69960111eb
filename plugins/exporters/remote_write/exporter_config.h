// Options of the remote_write exporter, shaped like one entry of Prometheus' `remote_write`,
// plus `queue` (the durable RocksDB queue that replaces Prometheus' in-memory shard buffers).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "http_client/http_client_options.h"
#include "relabel/relabel_rule.h"

namespace strata::rwexporter {

using Millis = std::chrono::milliseconds;

struct QueueConfig {
  int64_t capacity = 10000;  // samples a shard leases ahead of what it has sent (shard.h)
  int64_t min_shards = 1;
  int64_t max_shards = 50;
  int64_t max_samples_per_send = 2000;
  Millis batch_send_deadline{5000};
  Millis min_backoff{30};
  Millis max_backoff{5000};
  bool retry_on_http_429 = true;
  // How often the shard count is recomputed: Prometheus' shardUpdateDuration (not an option;
  // tests shorten it).
  Millis shard_update_interval{10000};
};

// Prometheus' remote_write metadata_config.
struct MetadataConfig {
  bool send = true;
  Millis send_interval{60000};
  int64_t max_samples_per_send = 500;
};

struct DurableQueueConfig {
  std::string directory;            // default: <data_dir>/queue
  uint64_t max_bytes = 1ull << 30;  // logical bytes of queued entries
  bool sync = false;                // sync: always (fsync per batch) | never
};

// The exporter's HTTP client defaults: it does not follow redirects (follow_redirects is not
// one of its options).
inline http_client::HttpClientOptions httpClientDefaults() {
  http_client::HttpClientOptions h;
  h.follow_redirects = false;
  return h;
}

struct ExporterConfig {
  std::string url;
  Millis remote_timeout{30000};
  // headers, basic_auth, authorization, bearer_token(_file), tls_config.
  http_client::HttpClientOptions http = httpClientDefaults();
  std::string protocol = "1.0";  // "1.0" | "2.0"
  bool v2() const { return protocol == "2.0"; }
  QueueConfig queue_config;
  DurableQueueConfig queue;
  MetadataConfig metadata_config;
  std::vector<relabel::Rule> write_relabel_configs;
  // Prometheus' global.external_labels, added when a series is queued unless it has a label of
  // that name (its own value wins), before write_relabel_configs. Sorted by name.
  std::vector<std::pair<std::string, std::string>> external_labels;

  // Shards the exporter starts with (min_shards); resharding moves within [min, max].
  uint32_t shardCount() const;
  uint32_t minShards() const;
  uint32_t maxShards() const;

  // Throws std::invalid_argument "option: why" on a bad value. `data_dir` is the host's data
  // directory for this component, used for the default queue directory.
  static ExporterConfig parse(const sdk::ConfigView& config, const std::string& data_dir);
};

// Lint hook: reports each bad option at its path.
void validateConfig(const sdk::ConfigView& config, strata_diag_sink* sink);

}  // namespace strata::rwexporter
