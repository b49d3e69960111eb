#include "gateway_options.h"

#include <stdexcept>
#include <string_view>

#include "bucket/bucket_options.h"
#include "duration/model_duration.h"

namespace strata::store_gateway {

std::optional<int64_t> parseRelativeDuration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::string_view rest = text;
  int64_t sign = 1;
  if (rest[0] == '-' || rest[0] == '+') {
    sign = rest[0] == '-' ? -1 : 1;
    rest.remove_prefix(1);
  }
  try {
    return sign * duration::parseModelDurationMs(rest);
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("\"" + text +
                                "\": expected a duration relative to now like -2w or -36h");
  }
}

GatewayOptions parseOptions(const sdk::ConfigView& config) {
  GatewayOptions o;
  o.bucket = bucket::bucketConfigFrom(config["bucket"]);
  std::string problem = bucket::checkBucketConfig(o.bucket);
  if (!problem.empty()) throw std::invalid_argument(problem);
  o.sync_interval_ms = config["sync_interval"].asMillis(180000);
  if (o.sync_interval_ms <= 0) throw std::invalid_argument("sync_interval: must be positive");
  try {
    o.min_time_offset_ms = parseRelativeDuration(config["min_time"].asString());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("min_time: ") + e.what());
  }
  try {
    o.max_time_offset_ms = parseRelativeDuration(config["max_time"].asString());
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("max_time: ") + e.what());
  }
  if (o.min_time_offset_ms && o.max_time_offset_ms &&
      *o.min_time_offset_ms >= *o.max_time_offset_ms)
    throw std::invalid_argument("min_time: must be before max_time");
  int64_t cache = config["cache_max_bytes"].asInt(64ll << 20);
  if (cache < 0) throw std::invalid_argument("cache_max_bytes: must not be negative");
  o.cache_max_bytes = uint64_t(cache);
  auto bytesOption = [&](const char* name) -> std::optional<uint64_t> {
    int64_t v = config[name].asInt(-1);
    if (v == -1) return std::nullopt;  // not given (the schema's default)
    if (v < 0) throw std::invalid_argument(std::string(name) + ": must not be negative");
    return uint64_t(v);
  };
  o.postings_cache_bytes = bytesOption("postings_cache_bytes");
  o.series_cache_bytes = bytesOption("series_cache_bytes");
  o.chunks_cache_bytes = bytesOption("chunks_cache_bytes");
  o.cache_dir = config["cache_dir"].asString();
  auto positive = [&](const char* name, int64_t def) {
    int64_t v = config[name].asInt(def);
    if (v <= 0) throw std::invalid_argument(std::string(name) + ": must be positive");
    return uint64_t(v);
  };
  o.series_batch_size = positive("series_batch_size", 256);
  o.fetch_gap_bytes = bytesOption("fetch_gap_bytes").value_or(16 << 10);
  o.max_concurrent_selects = bytesOption("max_concurrent_selects").value_or(8);
  o.max_queued_selects = bytesOption("max_queued_selects").value_or(32);
  o.select_queue_timeout_ms = config["select_queue_timeout"].asMillis(30000);
  if (o.select_queue_timeout_ms < 0)
    throw std::invalid_argument("select_queue_timeout: must not be negative");
  o.max_fetched_bytes_per_query = bytesOption("max_fetched_bytes_per_query").value_or(0);
  o.tenant_label_name = config["tenant_label_name"].asString("tenant_id");
  o.default_tenant = config["default_tenant"].asString("default-tenant");
  o.admin_listen_address = config["admin_listen_address"].asString();
  std::vector<relabel::Problem> problems;
  o.selector_relabel_configs = relabel::parseRules(config["selector_relabel_configs"],
                                                   "selector_relabel_configs", &problems);
  if (!problems.empty()) throw std::invalid_argument(problems.front().text());
  return o;
}

bool selectorKeeps(const std::vector<relabel::Rule>& rules,
                   const std::map<std::string, std::string>& external_labels,
                   const std::string& ulid) {
  if (rules.empty()) return true;
  relabel::LabelSet labels;
  for (const auto& [name, value] : external_labels) labels.set(name, value);
  labels.set("__block_id", ulid);
  return relabel::process(rules, labels);
}

uint64_t postingsCacheBytes(const GatewayOptions& o) {
  return o.postings_cache_bytes.value_or(o.cache_max_bytes / 4);
}
uint64_t seriesCacheBytes(const GatewayOptions& o) {
  return o.series_cache_bytes.value_or(o.cache_max_bytes / 4);
}
uint64_t chunksCacheBytes(const GatewayOptions& o) {
  return o.chunks_cache_bytes.value_or(o.cache_max_bytes - o.cache_max_bytes / 4 * 2);
}

std::string checkOptions(const sdk::ConfigView& config) {
  try {
    parseOptions(config);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace strata::store_gateway
