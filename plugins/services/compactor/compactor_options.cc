#include "compactor_options.h"

#include <stdexcept>

#include "bucket/bucket_options.h"
#include "duration/model_duration.h"

namespace strata::compactor {

int64_t parseDurationMs(const std::string& text) { return duration::parseModelDurationMs(text); }

CompactorOptions parseOptions(const sdk::ConfigView& config) {
  CompactorOptions o;
  o.bucket = bucket::bucketConfigFrom(config["bucket"]);
  std::string problem = bucket::checkBucketConfig(o.bucket);
  if (!problem.empty()) throw std::invalid_argument(problem);
  o.interval_ms = config["interval"].asMillis(o.interval_ms);
  if (o.interval_ms <= 0) throw std::invalid_argument("interval: must be positive");
  if (config["block_ranges"].present()) {
    o.block_ranges.clear();
    for (const auto& r : config["block_ranges"].asStringList()) {
      try {
        o.block_ranges.push_back(parseDurationMs(r));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string("block_ranges: ") + e.what());
      }
    }
  }
  problem = compact::checkRanges(o.block_ranges);
  if (!problem.empty()) throw std::invalid_argument("block_ranges: " + problem);
  o.vertical_compaction = config["vertical_compaction"].asBool(false);
  o.deduplication_replica_labels = config["deduplication_replica_labels"].asStringList();
  for (const auto& l : o.deduplication_replica_labels)
    if (l.empty()) throw std::invalid_argument("deduplication_replica_labels: empty label name");
  if (!o.deduplication_replica_labels.empty() && !o.vertical_compaction)
    throw std::invalid_argument(
        "deduplication_replica_labels: needs vertical_compaction: true (replicas overlap)");
  o.delete_delay_ms = config["delete_delay"].asMillis(o.delete_delay_ms);
  if (o.delete_delay_ms < 0) throw std::invalid_argument("delete_delay: must not be negative");
  o.partial_block_delete_delay_ms =
      config["partial_block_delete_delay"].asMillis(o.partial_block_delete_delay_ms);
  if (o.partial_block_delete_delay_ms < 0)
    throw std::invalid_argument("partial_block_delete_delay: must not be negative");
  int64_t rb = config["read_buffer_bytes"].asInt(int64_t(o.read_buffer_bytes));
  if (rb < 4096) throw std::invalid_argument("read_buffer_bytes: must be at least 4096");
  o.read_buffer_bytes = uint64_t(rb);
  o.scratch_dir = config["scratch_dir"].asString();
  o.downsampling = config["downsampling"].asBool(false);
  auto nonNegative = [&](const char* name, int64_t def) {
    int64_t v = config[name].asMillis(def);
    if (v < 0) throw std::invalid_argument(std::string(name) + ": must not be negative");
    return v;
  };
  compact::ResolutionPolicy& r = o.resolutions;
  r.downsample_raw_after_ms = nonNegative("downsample_raw_after", r.downsample_raw_after_ms);
  r.downsample_5m_after_ms = nonNegative("downsample_5m_after", r.downsample_5m_after_ms);
  r.retention_raw_ms = nonNegative("retention_raw", 0);
  r.retention_5m_ms = nonNegative("retention_5m", 0);
  r.retention_1h_ms = nonNegative("retention_1h", 0);
  return o;
}

std::string checkOptions(const sdk::ConfigView& config) {
  try {
    parseOptions(config);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace strata::compactor
