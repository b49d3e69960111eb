// The block_store storage component: per-tenant heads with a RocksDB WAL, 2h blocks in the
// Prometheus TSDB layout announced on the blocks edge, and a Queryable over both.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <strata/sdk.hpp>
#include <thread>

#include "metadata_store.h"
#include "store_options.h"
#include "tenant_db.h"
#include "tsdb/block/meta_json.h"
#include "wal/wal.h"

namespace strata::block_store {

class BlockStore : public sdk::Component {
 public:
  BlockStore(sdk::Host host, sdk::ConfigView config);
  ~BlockStore() override;
  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
    validateOptions(config, sink);
  }

  // Opens the blocks on disk, replays the WAL into the heads, starts the block cutter.
  strata_status start() override;
  strata_status consume(strata_metrics_batch* batch) override;
  strata_status queryable(strata_queryable* out) override;
  void stop() override;

  // Writes every block that is due now (the cutter thread calls it too). Returns how many.
  size_t cutBlocks();
  // Writes the whole head as blocks now (block-aligned ranges, the last one ending after the
  // newest sample) and checkpoints the WAL; samples older than the newest flushed one are
  // refused afterwards. For benchmarks, tests and shutdown (seal_head_on_stop). Returns how
  // many blocks were written.
  size_t flushHead();
  std::shared_ptr<TenantDb> tenant(const std::string& name, bool create);
  std::vector<std::shared_ptr<TenantDb>> tenants() const;
  const std::string& root() const { return root_; }
  const StoreOptions& options() const { return options_; }
  uint64_t walFileSyncs() const { return wal_ ? wal_->walFileSyncs() : 0; }
  Wal::Memory walMemory() const { return wal_ ? wal_->memory() : Wal::Memory{}; }

  // The Queryable's work, also used by the debug dump. Throw std::invalid_argument on bad
  // matchers.
  std::vector<SeriesData> selectSeries(const std::string& tenant,
                                       const std::vector<Matcher>& matchers, int64_t min_t,
                                       int64_t max_t) const;
  std::vector<std::string> labelNames(const std::string& tenant,
                                      const std::vector<Matcher>& matchers, int64_t min_t,
                                      int64_t max_t) const;
  std::vector<std::string> labelValues(const std::string& tenant, const std::string& name,
                                       const std::vector<Matcher>& matchers, int64_t min_t,
                                       int64_t max_t) const;
  // The latest metric family metadata of `tenant` (every tenant when empty); see
  // MetadataStore::query.
  std::vector<sdk::MetricMetadata> metadata(const std::string& tenant, const std::string& metric,
                                            size_t limit) const {
    return metadata_.query(tenant, metric, limit);
  }

 private:
  void openExistingBlocks();
  void replayWal();
  bool cutOne(TenantDb& db, int64_t lo, int64_t hi);
  // Emits `block` on the blocks edge; the announcement holds the block's files on disk until
  // the consumer releases it (the uploader: once shipped). The consumer's answer: RETRY
  // queues the block for another announcement.
  strata_status announce(const std::string& tenant, const std::shared_ptr<OpenBlock>& block);
  // Blocks not announced yet (found at start, or refused by a busy, absent or reloading
  // consumer), tried again by the cutter. Each is held on disk for kAnnounceGrace first, so
  // a consumer that is still starting (the uploader after a crash) gets it before retention
  // deletes it; after that only weakly, so without any consumer retention is merely delayed.
  void announcePending();
  void applyRetention(TenantDb& db);
  void cutterLoop();
  std::vector<std::shared_ptr<TenantDb>> tenantsFor(const std::string& tenant) const;

  const StoreOptions options_;
  std::string root_;
  std::unique_ptr<Wal> wal_;
  mutable std::shared_mutex tenants_mu_;
  std::map<std::string, std::shared_ptr<TenantDb>> tenants_;
  std::mutex cut_mu_;  // one block cut at a time
  std::mutex cutter_mu_;
  std::condition_variable cutter_cv_;
  bool stopping_ = false;
  bool cut_wanted_ = false;
  std::thread cutter_;
  MetadataStore metadata_;
  std::mutex unannounced_mu_;
  struct Unannounced {
    std::string tenant;
    std::weak_ptr<OpenBlock> block;
    std::shared_ptr<OpenBlock> hold;  // until `hold_until`
    std::chrono::steady_clock::time_point hold_until;
  };
  void queueAnnouncement(const std::string& tenant, const std::shared_ptr<OpenBlock>& block);
  std::vector<Unannounced> unannounced_;
  sdk::Metric appended_, rejected_ooo_, rejected_old_, rejected_dup_, blocks_written_,
      blocks_deleted_, unshipped_deleted_, head_series_, head_symbols_, symbol_rebuilds_,
      wal_failures_, metadata_dropped_;
};

}  // namespace strata::block_store
