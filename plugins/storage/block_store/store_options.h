// The block_store's options, read once from the validated config tree.
#pragma once

#include <cstdint>
#include <map>
#include <strata/sdk.hpp>
#include <string>

namespace strata::block_store {

struct StoreOptions {
  std::string path;  // empty: the host's data dir for this component
  int64_t block_duration_ms = 2 * 3600 * 1000;
  int64_t ooo_window_ms = 0;
  int64_t retention_ms = 15LL * 24 * 3600 * 1000;
  uint64_t retention_bytes = 0;
  bool wal_sync_always = false;
  int64_t wal_sync_interval_ms = 1000;
  std::string tenant_label_name = "tenant_id";
  std::string default_tenant = "default-tenant";
  std::map<std::string, std::string> external_labels;
  std::string debug_listen_address;
  int64_t cut_check_interval_ms = 1000;
  bool query_decode_ahead = true;   // large selects decode on a second thread
  bool seal_head_on_stop = false;   // write the whole head as blocks in stop()
  bool head_chunks_on_disk = true;  // sealed head chunks in <tenant>/chunks_head files
  // A series' chunks are re-encoded into chunks of up to this many samples in blocks.
  int64_t block_chunk_max_samples = 240;
  int64_t metadata_limit = 100000;  // metric families with metadata per tenant; 0: no limit

  // Throws std::invalid_argument with the option's name.
  static StoreOptions parse(const sdk::ConfigView& config);
};

// Lint hook: cross-field checks.
void validateOptions(const sdk::ConfigView& config, strata_diag_sink* sink);

// A tenant must be usable as a directory name and a WAL key part.
bool validTenant(const std::string& tenant);

}  // namespace strata::block_store
