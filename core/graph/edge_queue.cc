#include "core/graph/edge_queue.h"

#include <algorithm>

namespace strata::graph {

size_t batchBytes(const strata_metrics_batch& b) {
  size_t n = sizeof b + b.series_count * sizeof(strata_series_ref) +
             b.label_count * sizeof(strata_label) + b.sample_count * 16;
  for (size_t i = 0; i < b.label_count; ++i) n += b.labels[i].name.len + b.labels[i].value.len;
  if (STRATA_BATCH_HAS_METADATA(&b) && b.metadata) {
    n += b.metadata_count * sizeof(strata_metric_metadata);
    for (size_t i = 0; i < b.metadata_count; ++i)
      n += b.metadata[i].metric_family.len + b.metadata[i].help.len + b.metadata[i].unit.len;
  }
  return n;
}

EdgeQueue::EdgeQueue(const std::string& id, Sink sink, QueueLimits limits,
                     telemetry::MetricsRegistry& m)
    : sink_(std::move(sink)), limits_(limits) {
  telemetry::LabelPairs l{{"component", id}};
  m_batches_ =
      m.gauge("strata_queue_batches", "Batches waiting in the queue in front of a component.", l);
  m_bytes_ = m.gauge("strata_queue_bytes",
                     "Approximate bytes waiting in the queue in front of a component.", l);
  m_refused_ = m.counter("strata_queue_refused_batches_total",
                         "Batches refused with RETRY because the queue was full or closed.", l);
  m_sent_ =
      m.counter("strata_queue_sent_batches_total", "Batches the queue handed to its component.", l);
  m_retries_ = m.counter("strata_queue_retries_total",
                         "Times a component answered RETRY and the batch was offered again.", l);
  m_dropped_ = m.counter(
      "strata_queue_dropped_batches_total",
      "Batches released unsent because the queue was stopped before they could be delivered.", l);
  m_rejected_ =
      m.counter("strata_queue_rejected_batches_total",
                "Batches the component rejected as bad (REJECT) or failed on (FAILED).", l);
}

EdgeQueue::~EdgeQueue() { stop(); }

strata_status EdgeQueue::consume(strata_metrics_batch* batch) {
  size_t bytes = batchBytes(*batch);
  auto delivery = Delivery::current();
  {
    std::lock_guard lock(mu_);
    bool full = items_.size() >= limits_.max_batches ||
                (bytes_ + bytes > limits_.max_bytes && !items_.empty());
    if (!closed_ && !full) {
      if (delivery) delivery->expect();
      items_.push_back({batch, bytes, std::move(delivery)});
      bytes_ += bytes;
      m_batches_->set(static_cast<double>(items_.size()));
      m_bytes_->set(static_cast<double>(bytes_));
      cv_.notify_all();
      return STRATA_OK;
    }
  }
  m_refused_->add(1);
  if (batch->release) batch->release(batch);
  return STRATA_RETRY;
}

void EdgeQueue::start() {
  std::lock_guard lock(mu_);
  if (worker_.joinable() || stopping_) return;
  worker_ = std::thread([this] { run(); });
}

strata_status EdgeQueue::deliver(strata_metrics_batch* batch) {
  auto shared = SharedMetricsBatch::wrap(batch);
  auto backoff = std::chrono::milliseconds(50);
  for (;;) {
    clearThreadError();  // what the sink says with set_error now is the reason, if any
    strata_status s = sink_(shared->view());
    if (s != STRATA_RETRY) return s;
    m_retries_->add(1);
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, backoff, [this] { return stopping_; })) return STRATA_RETRY;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

void EdgeQueue::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !items_.empty(); });
    if (stopping_) return;
    Item item = items_.front();
    items_.pop_front();
    bytes_ -= item.bytes;
    m_batches_->set(static_cast<double>(items_.size()));
    m_bytes_->set(static_cast<double>(bytes_));
    busy_ = true;
    lock.unlock();
    strata_status s = deliver(item.batch);
    if (s == STRATA_OK)
      m_sent_->add(1);
    else if (s == STRATA_RETRY)
      m_dropped_->add(1);
    else
      m_rejected_->add(1);
    if (item.delivery) item.delivery->done(s, s == STRATA_OK ? std::string() : threadError());
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

bool EdgeQueue::drain(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  closed_ = true;
  if (!worker_.joinable()) return items_.empty();
  return cv_.wait_until(lock, deadline, [this] { return items_.empty() && !busy_; });
}

void EdgeQueue::stop() {
  std::deque<Item> left;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    stopping_ = true;
    cv_.notify_all();
  }
  if (worker_.joinable()) worker_.join();
  {
    std::lock_guard lock(mu_);
    left.swap(items_);
    bytes_ = 0;
  }
  for (auto& item : left) {
    m_dropped_->add(1);
    if (item.batch->release) item.batch->release(item.batch);
    if (item.delivery) item.delivery->done(STRATA_RETRY);
  }
}

}  // namespace strata::graph
