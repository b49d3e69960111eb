// RemoteWriteExporter's dynamic resharding (Prometheus' updateShardsLoop and reshardLoop):
// every shard update interval, tick the send meter, compute the desired shard count and, when
// it should change, start a new queue generation with that many shards. The old generation's
// shards keep running until they have flushed their part of the queue (retired_), and the new
// ones take nothing before that, so no sample is lost, sent twice, or overtaken.
#include <string>

#include "desired_shards.h"
#include "remote_write_exporter.h"

namespace strata::rwexporter {

void RemoteWriteExporter::startShards(uint64_t generation, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i)
    shards_.push_back(std::make_unique<Shard>(generation, i, config_, *queue_, metrics_, meter_,
                                              host(), &metadata_));
  for (auto& s : shards_) s->start();
  metrics_.shards.set(n);
}

void RemoteWriteExporter::reshardLoop() {
  std::unique_lock lock(loop_mu_);
  while (!loop_cv_.wait_for(lock, config_.queue_config.shard_update_interval,
                            [this] { return loop_stop_; })) {
    lock.unlock();
    updateShards();
    lock.lock();
  }
}

void RemoteWriteExporter::stopResharding() {
  {
    std::lock_guard lock(loop_mu_);
    loop_stop_ = true;
    loop_cv_.notify_all();
  }
  if (loop_.joinable()) loop_.join();
}

void RemoteWriteExporter::updateShards() {
  ShardRates rates = meter_.tick();
  {
    std::unique_lock lock(mu_);
    reapRetired();  // finished old shards hold a connection open until destroyed
  }
  uint32_t current = shardCount();
  if (current == 0) return;
  auto d = desiredShards(rates, current, config_.minShards(), config_.maxShards());
  if (d.desired > 0) metrics_.shards_desired.set(d.desired);
  host().log(STRATA_LOG_DEBUG, "desired shards",
             {{"in_rate", std::to_string(rates.in)},
              {"out_rate", std::to_string(rates.out)},
              {"send_seconds_rate", std::to_string(rates.send_seconds)},
              {"delay_seconds", std::to_string(rates.delay_seconds)},
              {"desired", std::to_string(d.desired)},
              {"shards", std::to_string(d.shards)}});
  if (d.shards == current) return;
  if (!shouldReshard(d.shards, current, meter_.sinceLastSend(),
                     config_.queue_config.batch_send_deadline)) {
    host().warn("skipping resharding: the last successful send was too long ago",
                {{"from", std::to_string(current)}, {"to", std::to_string(d.shards)}});
    return;
  }
  reshard(d.shards);
}

void RemoteWriteExporter::reshard(uint32_t to) {
  std::unique_lock lock(mu_);
  if (!queue_ || draining_) return;
  if (!reapRetired()) {
    host().info("currently resharding, skipping", {{"to", std::to_string(to)}});
    return;
  }
  uint32_t from = queue_->shardCount();
  if (from == to) return;
  uint64_t generation = queue_->reshard(to);
  for (auto& s : shards_) retired_.push_back(std::move(s));
  shards_.clear();
  startShards(generation, to);
  host().info("remote write resharding",
              {{"from", std::to_string(from)}, {"to", std::to_string(to)}, {"url", config_.url}});
}

bool RemoteWriteExporter::reapRetired() {
  std::erase_if(retired_, [](const std::unique_ptr<Shard>& s) {
    if (!s->finished()) return false;
    s->stop();  // joins a thread that has already returned
    return true;
  });
  return retired_.empty();
}

}  // namespace strata::rwexporter
