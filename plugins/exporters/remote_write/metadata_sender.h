// Remote write 1.0 metadata, sent as Prometheus 2.42 does (metadata_config): every
// send_interval, the whole MetadataCache in WriteRequests that carry only metadata, at most
// max_samples_per_send entries each, retried with the queue's backoff on retryable errors.
// Not queued on disk: the next interval sends the current state again anyway.
//
// Runs only for protocol 1.0 with metadata_config.send; 2.0 attaches metadata per series.
// THREAD: its own; start/stop from the control thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>
#include <thread>
#include <vector>

#include "exporter_config.h"
#include "http_sender.h"
#include "metadata_cache.h"

namespace strata::rwexporter {

// The snappy-compressed 1.0 bodies for `metadata`: ceil(n / per_request) requests.
std::vector<std::string> metadataRequests(const std::vector<sdk::MetricMetadata>& metadata,
                                          size_t per_request);

class MetadataSender {
 public:
  MetadataSender(const ExporterConfig& config, const MetadataCache& cache, sdk::Host host);
  ~MetadataSender();
  void start();
  void stop();
  // Sends the cache now (the loop does this every send_interval); false if a request failed.
  bool sendOnce();

 private:
  void run();
  bool waitFor(std::chrono::milliseconds d);  // false once stopping

  const ExporterConfig& config_;
  const MetadataCache& cache_;
  sdk::Host host_;
  std::unique_ptr<HttpSender> sender_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  sdk::Metric sent_, failed_;
};

}  // namespace strata::rwexporter
