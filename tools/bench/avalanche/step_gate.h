#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <vector>

namespace strata::avalanche {

// Keeps the connections of one send within `max_lag` steps of data time of each other.
// Each connection owns a fixed share of the series (so per-series order holds), but shares
// differ in size and connections in speed: unchecked, one runs hours of data time ahead, and
// a receiver that seals or compacts by its newest sample (Prometheus' head, block_store's
// cutter) then refuses the laggard's older samples as too old, which real senders, whose
// shards advance together in time, never provoke.
class StepGate {
 public:
  StepGate(size_t senders, int64_t max_lag) : next_(senders, 0), max_lag_(max_lag) {}

  // Blocks until every other connection has finished the steps before `step - max_lag`.
  // The connection furthest behind never waits, so this cannot deadlock.
  void enter(size_t sender, int64_t step) {
    std::unique_lock lock(mu_);
    next_[sender] = step;  // requests go out in step order: all earlier steps are done
    cv_.notify_all();
    cv_.wait(lock, [&] { return slowest() >= step - max_lag_; });
  }

  // This connection sent everything: it no longer holds anyone back.
  void finish(size_t sender) {
    std::lock_guard lock(mu_);
    next_[sender] = std::numeric_limits<int64_t>::max();
    cv_.notify_all();
  }

 private:
  int64_t slowest() const { return *std::min_element(next_.begin(), next_.end()); }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int64_t> next_;  // per connection: the step of its next request
  const int64_t max_lag_;
};

}  // namespace strata::avalanche
