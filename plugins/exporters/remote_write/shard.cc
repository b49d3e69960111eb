#include "shard.h"

#include <algorithm>

#include "request_body.h"

namespace strata::rwexporter {

Shard::Shard(uint64_t generation, uint32_t index, const ExporterConfig& config, DurableQueue& queue,
             ExporterMetrics& metrics, SendMeter& meter, sdk::Host host,
             const MetadataCache* metadata)
    : generation_(generation),
      index_(index),
      config_(config),
      queue_(queue),
      metrics_(metrics),
      meter_(meter),
      host_(host),
      metadata_(metadata),
      sender_(std::make_unique<HttpSender>(config)) {
  sender_->setAbortFlag(&stopping_);
}

Shard::~Shard() { stop(); }

void Shard::start() {
  std::lock_guard lock(mu_);
  stopping_ = false;
  reader_done_ = false;
  if (!reader_.joinable()) reader_ = std::thread([this] { read(); });
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void Shard::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (reader_.joinable()) reader_.join();
  if (thread_.joinable()) thread_.join();
  // Newest first, as the queue wants: the leased entries are the front of our part.
  std::lock_guard lock(mu_);
  for (auto l = ahead_.rbegin(); l != ahead_.rend(); ++l) queue_.giveBack(*l);
  ahead_.clear();
}

void Shard::read() {
  const auto& qc = config_.queue_config;
  Lease lease;
  while (queue_.take(generation_, index_, static_cast<uint64_t>(qc.max_samples_per_send),
                     qc.batch_send_deadline, &lease, PayloadRead::kAtSend)) {
    std::lock_guard lock(mu_);
    ahead_.push_back(std::move(lease));
    cv_.notify_all();
    if (stopping_) break;
  }
  std::lock_guard lock(mu_);
  reader_done_ = true;
  cv_.notify_all();
}

void Shard::run() {
  for (;;) {
    Lease lease;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !ahead_.empty() || reader_done_; });
      if (stopping_ || ahead_.empty()) break;
      lease = std::move(ahead_.front());
      ahead_.pop_front();
    }
    // Every entry was dropped by the byte bound while read ahead (counted there): skip it.
    if (!queue_.startSend(&lease)) continue;
    std::string body;
    try {
      body = requestBody(lease.payload, config_.v2() ? Protocol::k2 : Protocol::k1, nullptr,
                         config_.metadata_config.send ? metadata_ : nullptr);
    } catch (const std::exception& e) {
      // Cannot happen for entries we wrote; never let one bad entry block the shard forever.
      metrics_.samples_failed.add(static_cast<double>(lease.samples));
      host_.error("dropping a queued entry that cannot be encoded", {{"error", e.what()}});
      queue_.complete(lease);
      continue;
    }
    if (!deliver(lease, body)) {
      std::lock_guard lock(mu_);
      ahead_.push_front(std::move(lease));  // stopping: given back with the rest
      break;
    }
    queue_.complete(lease);
    metrics_.updateQueue(queue_.stats());
  }
  finished_ = true;
}

bool Shard::deliver(const Lease& lease, const std::string& body) {
  const auto& qc = config_.queue_config;
  auto backoff = qc.min_backoff;
  auto begin = std::chrono::steady_clock::now();
  auto finish = [&] {
    meter_.sent(lease.samples, lease.max_ts, std::chrono::steady_clock::now() - begin);
    return true;
  };
  bool retried = false;
  for (;;) {
    auto t0 = std::chrono::steady_clock::now();
    SendResult r = sender_->post(body);
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - t0;
    metrics_.sends.add(1);
    metrics_.send_seconds.add(took.count());
    if (r.ok()) {
      accountSuccess(lease, r);
      return finish();
    }
    metrics_.send_errors.add(1);
    std::string status = std::to_string(r.status);
    if (!r.retryable(qc.retry_on_http_429)) {
      // Logged before counted: whoever sees the count can already read why.
      if (r.status == 415 && config_.v2())
        host_.error(
            "the remote end does not accept remote write 2.0 (415 Unsupported Media Type); its "
            "samples are dropped. Set protocol: \"1.0\" for this receiver",
            {{"url", config_.url}, {"samples", std::to_string(lease.samples)}, {"error", r.error}});
      else
        host_.warn(
            "remote end refused a request; its samples are dropped",
            {{"status", status}, {"samples", std::to_string(lease.samples)}, {"error", r.error}});
      metrics_.samples_failed.add(static_cast<double>(lease.samples));
      return finish();
    }
    metrics_.samples_retried.add(static_cast<double>(lease.samples));
    // A warning for the first failure of a request (a TLS or connection error must be visible
    // at the default level), debug for its further retries so an outage does not flood the log.
    host_.log(retried ? STRATA_LOG_DEBUG : STRATA_LOG_WARN, "send failed, retrying",
              {{"url", config_.url},
               {"status", status},
               {"error", r.error},
               {"shard", std::to_string(index_)}});
    retried = true;
    auto wait = std::max(backoff, std::min(r.retry_after, qc.max_backoff));
    if (!waitBackoff(wait)) return false;
    backoff = std::min(backoff * 2, qc.max_backoff);
  }
}

void Shard::accountSuccess(const Lease& lease, const SendResult& r) {
  metrics_.noteSent(lease.max_ts);
  uint64_t sent = lease.samples;
  if (!config_.v2()) {
    metrics_.samples_sent.add(static_cast<double>(sent));
    return;
  }
  // 2.0: the receiver says how many it stored. A 2xx is final (never retried), so what it did
  // not store is lost: count it as failed. No header at all means a receiver that does not
  // speak 2.0 and likely ignored the body (a 1.0 receiver parses a 2.0 body as empty).
  uint64_t written = r.samples_written < 0 ? 0 : static_cast<uint64_t>(r.samples_written);
  written = std::min(written, sent);
  metrics_.samples_sent.add(static_cast<double>(written));
  if (written == sent) return;
  metrics_.samples_failed.add(static_cast<double>(sent - written));
  host_.warn(r.samples_written < 0
                 ? "2xx without X-Prometheus-Remote-Write-Samples-Written to a 2.0 request: the "
                   "receiver does not speak remote write 2.0; samples counted as failed"
                 : "the receiver stored fewer samples than sent; the rest are counted as failed",
             {{"sent", std::to_string(sent)},
              {"written", r.samples_written < 0 ? "absent" : std::to_string(r.samples_written)}});
}

bool Shard::waitBackoff(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, d, [this] { return stopping_.load(); });
}

}  // namespace strata::rwexporter
