#include "block_store.h"

#include <filesystem>

#include "debug_dump.h"

namespace fs = std::filesystem;

namespace strata::block_store {

BlockStore::BlockStore(sdk::Host host, sdk::ConfigView config)
    : Component(host), options_(StoreOptions::parse(config)) {
  root_ = options_.path.empty() ? this->host().dataDir() : options_.path;
  const char* help_rej = "Samples refused by the block store, by reason.";
  appended_ = this->host().counter("strata_block_store_samples_appended_total",
                                   "Samples appended to the head and its WAL.");
  rejected_ooo_ = this->host().counter("strata_block_store_samples_rejected_total", help_rej,
                                       {{"reason", "out_of_order"}});
  rejected_old_ = this->host().counter("strata_block_store_samples_rejected_total", help_rej,
                                       {{"reason", "too_old"}});
  rejected_dup_ = this->host().counter("strata_block_store_samples_rejected_total", help_rej,
                                       {{"reason", "duplicate"}});
  blocks_written_ = this->host().counter("strata_block_store_blocks_written_total",
                                         "Blocks cut from the head and written to disk.");
  blocks_deleted_ = this->host().counter("strata_block_store_blocks_deleted_total",
                                         "Blocks removed by retention.");
  unshipped_deleted_ = this->host().counter(
      "strata_block_store_unshipped_blocks_deleted_total",
      "Blocks retention_size forced off the disk while a consumer (the uploader) still held "
      "them, i.e. before they were shipped.");
  head_series_ =
      this->host().gauge("strata_block_store_head_series", "Series in the heads of all tenants.");
  head_symbols_ = this->host().gauge(
      "strata_block_store_head_symbols",
      "Label names and values interned in the heads of all tenants, including those only "
      "removed series used until the next symbol table rebuild.");
  symbol_rebuilds_ =
      this->host().counter("strata_block_store_head_symbol_rebuilds_total",
                           "Head symbol tables rebuilt to drop the symbols of removed series.");
  wal_failures_ = this->host().counter("strata_block_store_wal_failures_total",
                                       "WAL writes that failed (the batch was not acknowledged).");
  metadata_dropped_ = this->host().counter(
      "strata_block_store_metadata_dropped_total",
      "Metric family metadata entries not kept because a tenant reached metadata_limit.");
}

BlockStore::~BlockStore() { stop(); }

strata_status BlockStore::start() {
  fs::create_directories(root_);
  wal_ = std::make_unique<Wal>(WalOptions{(fs::path(root_) / "wal").string(),
                                          options_.wal_sync_always, options_.wal_sync_interval_ms});
  openExistingBlocks();
  replayWal();
  size_t series = 0, symbols = 0;
  for (const auto& db : tenants()) {
    applyRetention(*db);
    series += db->head.numSeries();
    symbols += db->head.numSymbols();
  }
  head_series_.set(static_cast<double>(series));
  head_symbols_.set(static_cast<double>(symbols));
  {
    std::lock_guard<std::mutex> lock(cutter_mu_);
    stopping_ = false;
  }
  cutter_ = std::thread([this] { cutterLoop(); });
  if (!options_.debug_listen_address.empty()) {
    if (host().route(options_.debug_listen_address, "/api/v1/strata/", 0, &serveDump, this) !=
        STRATA_OK) {
      host().setError("cannot serve the debug route on " + options_.debug_listen_address);
      return STRATA_FAILED;
    }
  }
  host().info("block store started", {{"path", root_}});
  return STRATA_OK;
}

void BlockStore::replayWal() {
  WalVisitor v;
  v.meta = [this](const std::string& t, int64_t min_valid) {
    if (auto db = tenant(t, true)) db->head.setMinValidTime(min_valid);
  };
  v.series = [this](const std::string& t, uint32_t ref, const tsdb::LabelSet& labels) {
    if (auto db = tenant(t, true)) db->head.replaySeries(ref, labels);
  };
  v.samples = [this](const std::string& t, const std::vector<AppendRecord::RefSample>& samples) {
    auto db = tenant(t, true);
    if (!db) return;
    for (const auto& s : samples) db->head.replaySample(s.ref, s.t, s.v);
  };
  std::string error;
  if (!wal_->replay(v, &error)) throw std::runtime_error(error);
}

std::shared_ptr<TenantDb> BlockStore::tenant(const std::string& name, bool create) {
  {
    std::shared_lock<std::shared_mutex> lock(tenants_mu_);
    auto it = tenants_.find(name);
    if (it != tenants_.end()) return it->second;
  }
  if (!create || !validTenant(name)) return nullptr;
  std::unique_lock<std::shared_mutex> lock(tenants_mu_);
  auto& slot = tenants_[name];
  if (!slot) {
    fs::path dir = fs::path(root_) / name;
    slot = std::make_shared<TenantDb>(
        name, dir.string(),
        HeadOptions{options_.block_duration_ms, options_.ooo_window_ms,
                    options_.head_chunks_on_disk ? (dir / "chunks_head").string() : ""});
  }
  return slot;
}

std::vector<std::shared_ptr<TenantDb>> BlockStore::tenants() const {
  std::shared_lock<std::shared_mutex> lock(tenants_mu_);
  std::vector<std::shared_ptr<TenantDb>> out;
  for (const auto& [name, db] : tenants_) out.push_back(db);
  return out;
}

strata_status BlockStore::consume(strata_metrics_batch* batch) {
  sdk::OwnedBatch owned(batch);
  auto view = owned.view();
  std::string name(view.tenant());
  if (name.empty()) name = options_.default_tenant;
  if (view.metadataCount() > 0 && validTenant(name)) {
    size_t dropped = metadata_.update(name, view, static_cast<size_t>(options_.metadata_limit));
    if (dropped) metadata_dropped_.add(static_cast<double>(dropped));
  }
  if (view.seriesCount() == 0 && view.metadataCount() > 0) return STRATA_OK;  // metadata only
  auto db = tenant(name, true);
  if (!db) {
    host().setError("tenant '" + name + "' cannot be used as a directory name");
    return STRATA_REJECT;
  }
  AppendRecord record;
  AppendStats stats = db->head.append(view, &record);
  std::string error;
  if (!wal_->write(name, record, &error)) {
    wal_failures_.add();
    host().setError(error);
    return STRATA_FAILED;
  }
  db->head.markDurable(record);
  appended_.add(static_cast<double>(stats.appended));
  if (stats.out_of_order) rejected_ooo_.add(static_cast<double>(stats.out_of_order));
  if (stats.too_old) rejected_old_.add(static_cast<double>(stats.too_old));
  if (stats.duplicate) rejected_dup_.add(static_cast<double>(stats.duplicate));
  if (!record.series.empty()) head_series_.add(static_cast<double>(record.series.size()));
  if (stats.new_symbols) head_symbols_.add(static_cast<double>(stats.new_symbols));
  int64_t lo, hi;
  if (db->head.nextCutRange(&lo, &hi)) {
    std::lock_guard<std::mutex> lock(cutter_mu_);
    cut_wanted_ = true;
    cutter_cv_.notify_one();
  }
  if (stats.bad() > 0 && stats.appended == 0 && stats.ignored == 0) {
    host().setError("all " + std::to_string(stats.bad()) +
                    " samples refused: " + std::to_string(stats.out_of_order) + " out of order, " +
                    std::to_string(stats.too_old) + " too old, " + std::to_string(stats.duplicate) +
                    " duplicate timestamps with a different value");
    return STRATA_REJECT;
  }
  return STRATA_OK;
}

void BlockStore::stop() {
  {
    std::lock_guard<std::mutex> lock(cutter_mu_);
    stopping_ = true;
  }
  cutter_cv_.notify_all();
  if (cutter_.joinable()) cutter_.join();
  if (wal_ && options_.seal_head_on_stop) {
    size_t n = flushHead();
    host().info("head sealed on stop", {{"blocks", std::to_string(n)}});
  }
  wal_.reset();
}

}  // namespace strata::block_store
