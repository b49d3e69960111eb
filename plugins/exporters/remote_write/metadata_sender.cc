#include "metadata_sender.h"

#include <algorithm>

#include "prompb/write_request_encoder.h"

namespace strata::rwexporter {

std::vector<std::string> metadataRequests(const std::vector<sdk::MetricMetadata>& metadata,
                                          size_t per_request) {
  std::vector<std::string> out;
  per_request = std::max<size_t>(per_request, 1);
  for (size_t begin = 0; begin < metadata.size(); begin += per_request) {
    sdk::BatchBuilder b;
    size_t end = std::min(metadata.size(), begin + per_request);
    for (size_t i = begin; i < end; ++i)
      b.addMetadata(metadata[i].family, metadata[i].type, metadata[i].help, metadata[i].unit);
    sdk::OwnedBatch batch(b.finish());
    out.push_back(prompb::encodeWriteRequest(batch.view()));
  }
  return out;
}

MetadataSender::MetadataSender(const ExporterConfig& config, const MetadataCache& cache,
                               sdk::Host host)
    : config_(config),
      cache_(cache),
      host_(host),
      sender_(std::make_unique<HttpSender>(config)),
      sent_(host.counter("strata_remote_write_metadata_sent_total",
                         "Metric family metadata entries acknowledged by the remote end (1.0).")),
      failed_(host.counter("strata_remote_write_metadata_failed_total",
                           "Metric family metadata entries that could not be sent (1.0).")) {
  sender_->setAbortFlag(&stopping_);
}

MetadataSender::~MetadataSender() { stop(); }

void MetadataSender::start() {
  std::lock_guard lock(mu_);
  stopping_ = false;
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void MetadataSender::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

bool MetadataSender::waitFor(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, d, [this] { return stopping_.load(); });
}

void MetadataSender::run() {
  while (waitFor(config_.metadata_config.send_interval)) sendOnce();
}

bool MetadataSender::sendOnce() {
  auto metadata = cache_.snapshot();
  if (metadata.empty()) return true;
  size_t per = static_cast<size_t>(config_.metadata_config.max_samples_per_send);
  auto bodies = metadataRequests(metadata, per);
  const auto& qc = config_.queue_config;
  bool all_ok = true;
  for (size_t i = 0; i < bodies.size(); ++i) {
    double entries = static_cast<double>(std::min(per, metadata.size() - i * per));
    auto backoff = qc.min_backoff;
    for (int attempt = 0;; ++attempt) {
      SendResult r = sender_->post(bodies[i]);
      if (r.ok()) {
        sent_.add(entries);
        break;
      }
      // Bounded: the next interval sends the whole state again.
      if (!r.retryable(qc.retry_on_http_429) || attempt >= 2 || stopping_) {
        failed_.add(entries);
        all_ok = false;
        host_.warn("sending metric metadata failed",
                   {{"status", std::to_string(r.status)}, {"error", r.error}});
        break;
      }
      if (!waitFor(std::max(backoff, std::min(r.retry_after, qc.max_backoff)))) return false;
      backoff = std::min(backoff * 2, qc.max_backoff);
    }
  }
  return all_ok;
}

}  // namespace strata::rwexporter
