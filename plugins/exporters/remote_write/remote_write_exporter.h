// The remote_write exporter: Prometheus remote write 1.0 or 2.0 out, through a durable RocksDB
// queue.
//
// Lifecycle:
//  - create: parse options (nothing opened yet, so lint/create never touch the disk);
//  - start: open the queue directory (resuming whatever a previous run or a previous instance
//    left there) and start the shards;
//  - consume: split the batch per shard, append it to RocksDB, and only then return OK;
//  - drain: refuse new batches (RETRY), send without waiting for batch_send_deadline, and
//    wait a bounded time for the queue to empty; what is left stays on disk;
//  - every queue_config shard update interval (10 s), a resharding loop recomputes the shard
//    count from the measured rates (desired_shards.h) and, when it changes, starts a new
//    generation of shards in the queue (durable_queue.h): the old shards flush what they hold
//    and finish, then the new ones take over (exporter_resharding.cc);
//  - stop: stop the shards and CLOSE the database (idempotent). Reload hands the queue over
//    through the directory: the host stops the old instance before it starts the new one, and
//    adopt() closes the previous instance's queue too, in case it was still open.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <strata/sdk.hpp>
#include <thread>
#include <vector>

#include "durable_queue.h"
#include "exporter_config.h"
#include "exporter_metrics.h"
#include "metadata_cache.h"
#include "metadata_sender.h"
#include "send_meter.h"
#include "shard.h"

namespace strata::rwexporter {

class RemoteWriteExporter : public sdk::Component {
 public:
  RemoteWriteExporter(sdk::Host host, sdk::ConfigView config);
  RemoteWriteExporter(sdk::Host host, ExporterConfig config);  // tests
  ~RemoteWriteExporter() override;

  strata_status start() override;
  strata_status consume(strata_metrics_batch* batch) override;
  strata_status drain() override;
  void stop() override;
  strata_status adopt(sdk::Component& previous) override;

  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
    validateConfig(config, sink);
  }

  // For tests and the queue gauges: a snapshot of the queue (zeros when not started).
  QueueStats queueStats();
  const ExporterConfig& config() const { return config_; }
  const MetadataCache& metadataCache() const { return metadata_; }
  // Shards of the current generation (0 when not started).
  uint32_t shardCount();

 private:
  // exporter_resharding.cc
  void startShards(uint64_t generation, uint32_t n);  // under mu_ (exclusive)
  void reshardLoop();
  void updateShards();
  void reshard(uint32_t to);
  bool reapRetired();  // under mu_ (exclusive); true when no old shard is left
  void stopResharding();

  ExporterConfig config_;
  std::vector<strata_label> external_labels_;  // views into config_.external_labels
  ExporterMetrics metrics_;
  SendMeter meter_;
  std::shared_mutex mu_;  // consume (shared) vs start/stop/reshard (exclusive)
  std::unique_ptr<DurableQueue> queue_;
  MetadataCache metadata_;                           // latest metadata per family
  std::unique_ptr<MetadataSender> metadata_sender_;  // 1.0 with metadata_config.send
  std::vector<std::unique_ptr<Shard>> shards_;       // the current generation
  std::vector<std::unique_ptr<Shard>> retired_;      // older generations, flushing
  std::atomic<bool> draining_{false};
  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool loop_stop_ = false;
  std::thread loop_;
};

}  // namespace strata::rwexporter
