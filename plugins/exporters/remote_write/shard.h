// One shard: a reader thread takes requests (leases) from its part of the durable queue ahead
// of the one being sent, up to queue_config.capacity samples leased (the queue holds it back
// past that; one request always fits), and a sender thread sends them over its own keep-alive
// connection, one at a time and in the order read, so the samples of a series (always in the
// same shard) arrive in order. A lease read ahead stays droppable by the queue's byte bound:
// before sending it the sender marks it in flight (DurableQueue::startSend), which reads its
// payload only then (what the reader holds ahead is entry numbers, not a second copy of the
// data RocksDB holds), re-encodes what is left of it when some of its entries were dropped,
// and skips it when none is left.
//
// Retry policy (Prometheus'): 2xx -> delete (2.0: samples the receiver reports as not
// written, via X-Prometheus-Remote-Write-Samples-Written, count as failed, not retried); 4xx (429
// only when retry_on_http_429 is false)
// -> log, count as failed, delete; 5xx, 429, network errors -> wait (exponential backoff from
// min_backoff to max_backoff, or Retry-After when longer) and send the same body again, for
// as long as it takes: the queue's byte bound is what limits an outage.
//
// Lifecycle: start() launches the threads; the owner closes the queue, then stop() joins them
// and gives back every lease still held (read ahead, or in flight during stop), newest first,
// so their entries stay queued for the next start. A shard of a
// generation the queue has moved past (resharding) finishes by itself once its part is sent:
// finished() turns true and stop() only joins.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <strata/sdk.hpp>
#include <thread>

#include "durable_queue.h"
#include "exporter_config.h"
#include "exporter_metrics.h"
#include "http_sender.h"
#include "metadata_cache.h"
#include "send_meter.h"

namespace strata::rwexporter {

class Shard {
 public:
  // `metadata` (may be null): what 2.0 requests attach per series. LIFETIME: outlives us.
  Shard(uint64_t generation, uint32_t index, const ExporterConfig& config, DurableQueue& queue,
        ExporterMetrics& metrics, SendMeter& meter, sdk::Host host,
        const MetadataCache* metadata = nullptr);
  ~Shard();

  void start();
  void stop();
  bool finished() const { return finished_.load(); }

 private:
  void read();  // reader thread
  void run();   // sender thread
  // True when the lease is finished with (sent or dropped), false when stopping.
  bool deliver(const Lease& lease, const std::string& body);
  bool waitBackoff(std::chrono::milliseconds d);
  // Counts a 2xx: sent, and for 2.0 whatever the receiver says it did not write as failed.
  void accountSuccess(const Lease& lease, const SendResult& r);

  uint64_t generation_;
  uint32_t index_;
  const ExporterConfig& config_;
  DurableQueue& queue_;
  ExporterMetrics& metrics_;
  SendMeter& meter_;
  sdk::Host host_;
  const MetadataCache* metadata_;
  std::unique_ptr<HttpSender> sender_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false}, finished_{false};
  std::deque<Lease> ahead_;   // read, not sent yet; under mu_
  bool reader_done_ = false;  // under mu_
  std::thread reader_, thread_;
};

}  // namespace strata::rwexporter
