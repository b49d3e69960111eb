#include "remote_write_exporter.h"

#include <algorithm>
#include <mutex>

#include "shard_encoder.h"

namespace strata::rwexporter {

RemoteWriteExporter::RemoteWriteExporter(sdk::Host host, sdk::ConfigView config)
    : RemoteWriteExporter(host, ExporterConfig::parse(config, host.dataDir())) {}

RemoteWriteExporter::RemoteWriteExporter(sdk::Host host, ExporterConfig config)
    : sdk::Component(host),
      config_(std::move(config)),
      metrics_(host),
      meter_(config_.queue_config.shard_update_interval) {
  for (const auto& [name, value] : config_.external_labels)
    external_labels_.push_back({sdk::str(name), sdk::str(value)});
}

RemoteWriteExporter::~RemoteWriteExporter() { stop(); }

strata_status RemoteWriteExporter::start() {
  std::unique_lock lock(mu_);
  if (queue_) return STRATA_OK;
  uint32_t n = config_.shardCount();
  queue_ = std::make_unique<DurableQueue>(
      QueueOptions{config_.queue.directory, config_.queue.max_bytes, config_.queue.sync, n,
                   static_cast<uint64_t>(std::max<int64_t>(config_.queue_config.capacity, 1))});
  if (queue_->recoveredEntries() > 0)
    host().info("resuming the durable queue",
                {{"entries", std::to_string(queue_->recoveredEntries())},
                 {"samples", std::to_string(queue_->stats().samples)},
                 {"directory", config_.queue.directory}});
  startShards(queue_->generation(), n);
  metrics_.shards_min.set(config_.minShards());
  metrics_.shards_max.set(config_.maxShards());
  metrics_.shards_desired.set(n);
  if (config_.metadata_config.send && !config_.v2()) {
    metadata_sender_ = std::make_unique<MetadataSender>(config_, metadata_, host());
    metadata_sender_->start();
  }
  metrics_.updateQueue(queue_->stats());
  draining_ = false;
  {
    std::lock_guard l(loop_mu_);
    loop_stop_ = false;
  }
  loop_ = std::thread([this] { reshardLoop(); });
  return STRATA_OK;
}

strata_status RemoteWriteExporter::consume(strata_metrics_batch* raw) {
  sdk::OwnedBatch batch(raw);
  std::shared_lock lock(mu_);
  if (!queue_ || draining_) {
    host().setError("remote_write exporter is not running");
    return STRATA_RETRY;
  }
  metadata_.update(batch.view());
  if (batch.view().seriesCount() == 0) return STRATA_OK;  // metadata only: nothing to queue
  uint64_t relabel_dropped = 0;
  // Under the shared lock the count cannot change (reshard() holds it exclusively).
  auto entries = encodeShards(batch.view(), queue_->shardCount(),
                              static_cast<uint64_t>(config_.queue_config.max_samples_per_send),
                              &config_.write_relabel_configs, &relabel_dropped, external_labels_);
  if (relabel_dropped) metrics_.dropped_relabel.add(static_cast<double>(relabel_dropped));
  // The entries hold all we need: free the batch before the queue copies them into RocksDB,
  // so the two never both take memory at the edge agent's peak.
  const auto samples = static_cast<double>(batch.view().sampleCount());
  if (strata_metrics_batch* done = batch.release(); done->release) done->release(done);
  AppendResult result;
  std::string error;
  int64_t max_ts = 0;
  for (const auto& e : entries) max_ts = std::max(max_ts, e.max_ts);
  strata_status s = queue_->append(std::move(entries), &result, &error);
  if (result.dropped_samples > 0) {
    metrics_.dropped_queue_full.add(static_cast<double>(result.dropped_samples));
    host().warn("durable queue full: dropped the oldest samples",
                {{"samples", std::to_string(result.dropped_samples)},
                 {"entries", std::to_string(result.dropped_entries)}});
  }
  if (s == STRATA_OK) {
    metrics_.samples_in.add(samples);
    meter_.received(static_cast<uint64_t>(samples), relabel_dropped, max_ts);
  } else {
    if (s == STRATA_REJECT) metrics_.dropped_too_large.add(samples);
    host().setError(error);
  }
  metrics_.updateQueue(queue_->stats());
  return s;
}

strata_status RemoteWriteExporter::drain() {
  DurableQueue* q;
  {
    std::unique_lock lock(mu_);
    draining_ = true;
    q = queue_.get();
  }
  if (!q) return STRATA_OK;
  // Bounded: an unreachable remote end must not hold up a reload; the rest stays on disk.
  auto wait = std::min(config_.remote_timeout, Millis(5000));
  q->setFlushing(true);
  q->waitEmpty(DurableQueue::Clock::now() + wait);
  return STRATA_OK;
}

void RemoteWriteExporter::stop() {
  stopResharding();
  std::unique_lock lock(mu_);
  if (!queue_) return;
  queue_->close();
  if (metadata_sender_) metadata_sender_->stop();
  metadata_sender_.reset();
  for (auto& s : shards_) s->stop();
  for (auto& s : retired_) s->stop();
  shards_.clear();
  retired_.clear();
  metrics_.updateQueue(queue_->stats());
  queue_.reset();  // closes RocksDB: the directory is free for the next instance
  metrics_.shards.set(0);
}

strata_status RemoteWriteExporter::adopt(sdk::Component& previous) {
  auto* prev = dynamic_cast<RemoteWriteExporter*>(&previous);
  if (!prev) return STRATA_OK;
  prev->stop();  // normally already stopped by the host; idempotent
  if (prev->config_.queue.directory != config_.queue.directory)
    host().warn(
        "queue.directory changed on reload; entries left in the old directory are not "
        "sent until an instance uses it again",
        {{"old", prev->config_.queue.directory}, {"new", config_.queue.directory}});
  return STRATA_OK;
}

uint32_t RemoteWriteExporter::shardCount() {
  std::shared_lock lock(mu_);
  return queue_ ? queue_->shardCount() : 0;
}

QueueStats RemoteWriteExporter::queueStats() {
  std::shared_lock lock(mu_);
  return queue_ ? queue_->stats() : QueueStats{};
}

}  // namespace strata::rwexporter
