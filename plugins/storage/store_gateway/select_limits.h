// What bounds one select and how many run at once:
//   QueryBudget    the bytes one select may fetch from the bucket (max_fetched_bytes_per_query);
//                  charged before each GET, so a query that would fetch more fails with an
//                  error naming the limit instead of fetching (and holding) it.
//   SelectLimiter  at most max_concurrent_selects series sets open at once; further selects
//                  wait (at most max_queued_selects of them, each at most select_queue_timeout)
//                  and are rejected with an error naming the option past that.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace strata::store_gateway {

// A select that hit a limit (the plugin answers REJECT / the series set's error).
class LimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class QueryBudget {
 public:
  explicit QueryBudget(uint64_t max_bytes) : max_(max_bytes) {}
  // Throws LimitError when n more bytes would pass the limit (0 = unlimited).
  void charge(uint64_t n);
  uint64_t fetched() const { return fetched_; }

 private:
  uint64_t max_, fetched_ = 0;
};

class SelectLimiter {
 public:
  // max_concurrent 0 = unlimited.
  SelectLimiter(uint64_t max_concurrent, uint64_t max_queued, int64_t queue_timeout_ms)
      : max_running_(max_concurrent), max_queued_(max_queued), timeout_ms_(queue_timeout_ms) {}
  // Held while a select's series set is open; releasing it lets a waiting select in.
  class Slot {
   public:
    explicit Slot(SelectLimiter* l) : l_(l) {}
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    SelectLimiter* l_;
  };
  // Waits for a slot; throws LimitError when the queue is full or the wait times out.
  std::unique_ptr<Slot> acquire();
  uint64_t running() const;

 private:
  void release();
  const uint64_t max_running_, max_queued_;
  const int64_t timeout_ms_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  uint64_t running_ = 0, queued_ = 0;
};

}  // namespace strata::store_gateway
