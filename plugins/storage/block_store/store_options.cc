#include "store_options.h"

#include <stdexcept>

namespace strata::block_store {

StoreOptions StoreOptions::parse(const sdk::ConfigView& c) {
  StoreOptions o;
  o.path = c["path"].asString();
  o.block_duration_ms = c["block_duration"].asMillis(o.block_duration_ms);
  o.ooo_window_ms = c["out_of_order_time_window"].asMillis(0);
  o.retention_ms = c["retention_time"].asMillis(o.retention_ms);
  int64_t size = c["retention_size"].asInt(0);
  std::string sync = c["wal_sync"].asString("interval");
  o.wal_sync_interval_ms = c["wal_sync_interval"].asMillis(o.wal_sync_interval_ms);
  o.tenant_label_name = c["tenant_label_name"].asString(o.tenant_label_name);
  o.default_tenant = c["default_tenant"].asString(o.default_tenant);
  o.external_labels = c["external_labels"].asStringMap();
  o.debug_listen_address = c["debug_listen_address"].asString();
  o.cut_check_interval_ms = c["cut_check_interval"].asMillis(o.cut_check_interval_ms);
  o.seal_head_on_stop = c["seal_head_on_stop"].asBool(false);
  o.query_decode_ahead = c["query_decode_ahead"].asBool(true);
  o.head_chunks_on_disk = c["head_chunks_on_disk"].asBool(true);
  o.block_chunk_max_samples = c["block_chunk_max_samples"].asInt(o.block_chunk_max_samples);
  o.metadata_limit = c["metadata_limit"].asInt(o.metadata_limit);
  if (o.metadata_limit < 0) throw std::invalid_argument("metadata_limit is negative");
  if (o.block_duration_ms <= 0) throw std::invalid_argument("block_duration must be positive");
  if (o.ooo_window_ms < 0) throw std::invalid_argument("out_of_order_time_window is negative");
  if (o.retention_ms <= 0) throw std::invalid_argument("retention_time must be positive");
  if (size < 0) throw std::invalid_argument("retention_size is negative");
  o.retention_bytes = static_cast<uint64_t>(size);
  if (sync != "interval" && sync != "always")
    throw std::invalid_argument("wal_sync must be interval or always, not " + sync);
  o.wal_sync_always = sync == "always";
  if (!validTenant(o.default_tenant))
    throw std::invalid_argument("default_tenant is not a usable directory name");
  if (o.block_chunk_max_samples < 1 || o.block_chunk_max_samples > 65535)
    throw std::invalid_argument("block_chunk_max_samples must be between 1 and 65535");
  if (o.cut_check_interval_ms <= 0)
    throw std::invalid_argument("cut_check_interval must be positive");
  return o;
}

void validateOptions(const sdk::ConfigView& config, strata_diag_sink* sink) {
  try {
    StoreOptions::parse(config);
  } catch (const std::invalid_argument& e) {
    std::string msg = e.what();
    std::string path = msg.substr(0, msg.find(' '));
    sink->report(sink, path.c_str(), msg.c_str());
  }
}

bool validTenant(const std::string& t) {
  if (t.empty() || t == "." || t == ".." || t == "wal" || t.size() > 200) return false;
  for (char ch : t)
    if (ch == '/' || ch == '\0' || ch == '\\') return false;
  return t.size() < 4 || t.substr(t.size() - 4) != ".tmp";
}

}  // namespace strata::block_store
