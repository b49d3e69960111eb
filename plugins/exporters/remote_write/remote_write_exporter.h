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
//  - stop: stop the shards and CLOSE the database (idempotent). Reload hands the queue over
//    through the directory: the host stops the old instance before it starts the new one, and
//    adopt() closes the previous instance's queue too, in case it was still open.
#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <strata/sdk.hpp>
#include <vector>

#include "durable_queue.h"
#include "exporter_config.h"
#include "exporter_metrics.h"
#include "metadata_cache.h"
#include "metadata_sender.h"
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

 private:
  ExporterConfig config_;
  ExporterMetrics metrics_;
  std::shared_mutex mu_;  // consume (shared) vs start/stop (exclusive)
  std::unique_ptr<DurableQueue> queue_;
  std::vector<std::unique_ptr<Shard>> shards_;
  MetadataCache metadata_;                           // latest metadata per family
  std::unique_ptr<MetadataSender> metadata_sender_;  // 1.0 with metadata_config.send
  std::atomic<bool> draining_{false};
};

}  // namespace strata::rwexporter
