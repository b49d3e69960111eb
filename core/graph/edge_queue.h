// The bounded queue the host puts in front of every exporter and storage node. It is what
// makes flow control work: when it is full, consume() answers RETRY at once, that status
// travels synchronously back up the inline chain of processors to the receiver (which turns it
// into 503/429), and memory never grows without bound.
//
// One worker thread per queue hands batches to the sink in order (per-series order is kept).
// A sink that answers RETRY gets the same batch again after a backoff.
#pragma once

#include <strata/plugin_abi.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/graph/consumer.h"
#include "core/graph/delivery.h"
#include "core/telemetry/metrics_registry.h"

namespace strata::graph {

struct QueueLimits {
  size_t max_batches = 1024;
  size_t max_bytes = 64u << 20;
};

// Approximate memory a batch holds (labels, strings, samples).
size_t batchBytes(const strata_metrics_batch& b);

class EdgeQueue : public MetricsConsumer {
 public:
  using Sink = std::function<strata_status(strata_metrics_batch*)>;
  EdgeQueue(const std::string& component_id, Sink sink, QueueLimits limits,
            telemetry::MetricsRegistry& metrics);
  ~EdgeQueue() override;

  strata_status consume(strata_metrics_batch* batch) override;
  void start();
  // Refuses new input (RETRY) and waits until every queued batch reached the sink.
  // Returns false if the deadline passed first.
  bool drain(std::chrono::steady_clock::time_point deadline);
  // Joins the worker; what is still queued is released and counted as dropped.
  void stop();

 private:
  struct Item {
    strata_metrics_batch* batch;
    size_t bytes;
    std::shared_ptr<Delivery> delivery;
  };
  void run();
  strata_status deliver(strata_metrics_batch* batch);

  Sink sink_;
  QueueLimits limits_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> items_;
  size_t bytes_ = 0;
  bool busy_ = false, closed_ = false, stopping_ = false;
  std::thread worker_;
  telemetry::MetricSeries *m_batches_, *m_bytes_, *m_refused_, *m_sent_, *m_retries_, *m_dropped_,
      *m_rejected_;
};

}  // namespace strata::graph
