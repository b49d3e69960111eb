// Self-metrics of the remote_write exporter, named after what a Prometheus operator knows
// (prometheus_remote_storage_*), with the strata_remote_write_ prefix; the host adds the
// component label. Invariant: in = sent + failed + dropped + (samples still queued).
#pragma once

#include <atomic>
#include <cstdint>
#include <strata/sdk.hpp>

#include "durable_queue.h"

namespace strata::rwexporter {

struct ExporterMetrics {
  explicit ExporterMetrics(const sdk::Host& host);

  // Queue gauges from a snapshot; oldest sample age is measured against the wall clock now.
  void updateQueue(const QueueStats& stats);
  // Raises the highest-sent gauge to `ts_ms` if larger (shards call this concurrently).
  void noteSent(int64_t ts_ms);

  sdk::Metric samples_in;       // accepted into the durable queue
  sdk::Metric samples_sent;     // acknowledged with 2xx by the remote end
  sdk::Metric samples_failed;   // refused for good by the remote end (4xx), dropped
  sdk::Metric samples_retried;  // in requests that failed retryably and were sent again
  sdk::Metric dropped_queue_full, dropped_too_large, dropped_relabel;
  sdk::Metric queue_bytes, queue_samples, oldest_age, highest_sent;
  sdk::Metric shards, shards_desired, shards_min, shards_max;
  sdk::Metric send_seconds, sends, send_errors;

 private:
  std::atomic<int64_t> highest_sent_ts_{0};
};

}  // namespace strata::rwexporter
