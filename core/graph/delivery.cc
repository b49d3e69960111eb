#include "core/graph/delivery.h"

#include <utility>

#include "core/graph/consumer.h"

namespace strata::graph {

namespace {
thread_local std::shared_ptr<Delivery> t_current;
thread_local std::string t_error;
}  // namespace

void noteThreadError(std::string message) { t_error = std::move(message); }
const std::string& threadError() { return t_error; }
void clearThreadError() { t_error.clear(); }

void Delivery::expect() {
  std::lock_guard lock(mu_);
  ++pending_;
}

void Delivery::done(strata_status status, std::string error) {
  std::lock_guard lock(mu_);
  if (status > status_ || (status == status_ && status != STRATA_OK && error_.empty()))
    error_ = std::move(error);
  status_ = worst(status_, status);
  if (--pending_ == 0) cv_.notify_all();
}

std::string Delivery::error() {
  std::lock_guard lock(mu_);
  return error_;
}

strata_status Delivery::wait(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  if (!cv_.wait_until(lock, deadline, [this] { return pending_ == 0; })) return STRATA_RETRY;
  return status_;
}

std::shared_ptr<Delivery> Delivery::current() { return t_current; }

Delivery::Scope::Scope(std::shared_ptr<Delivery> d) : previous_(std::exchange(t_current, d)) {}
Delivery::Scope::~Scope() { t_current = std::move(previous_); }

}  // namespace strata::graph
