#include "select_limits.h"

#include <chrono>
#include <string>

namespace strata::store_gateway {

void QueryBudget::charge(uint64_t n) {
  if (max_ && fetched_ + n > max_)
    throw LimitError("store_gateway: the query would fetch more than " + std::to_string(max_) +
                     " bytes from the bucket (max_fetched_bytes_per_query); narrow its matchers "
                     "or time range");
  fetched_ += n;
}

SelectLimiter::Slot::~Slot() {
  if (l_) l_->release();
}

std::unique_ptr<SelectLimiter::Slot> SelectLimiter::acquire() {
  if (max_running_ == 0) return std::make_unique<Slot>(nullptr);
  std::unique_lock lock(mu_);
  if (running_ >= max_running_) {
    if (queued_ >= max_queued_)
      throw LimitError("store_gateway: too many selects: " + std::to_string(running_) +
                       " running (max_concurrent_selects) and " + std::to_string(queued_) +
                       " waiting (max_queued_selects)");
    ++queued_;
    bool ok = freed_.wait_for(lock, std::chrono::milliseconds(timeout_ms_),
                              [this] { return running_ < max_running_; });
    --queued_;
    if (!ok)
      throw LimitError("store_gateway: no select slot within " + std::to_string(timeout_ms_) +
                       " ms (select_queue_timeout; " + std::to_string(max_running_) +
                       " selects running, max_concurrent_selects)");
  }
  ++running_;
  return std::make_unique<Slot>(this);
}

void SelectLimiter::release() {
  {
    std::lock_guard lock(mu_);
    --running_;
  }
  freed_.notify_one();
}

uint64_t SelectLimiter::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

}  // namespace strata::store_gateway
