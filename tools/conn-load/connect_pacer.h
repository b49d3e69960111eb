// Paces the writers' connection opens (the ramp, and reconnects after it) to at most `rate` per
// second: a token bucket holding at most 20 ms worth of opens, granted in request order, always
// from the pacer's own timer so that a writer is never called back from inside its request.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>

#include "event_loop.h"

namespace strata::connload {

class ConnectPacer : public EventLoop::Handler {
 public:
  ConnectPacer(EventLoop& loop, int64_t rate_per_s);
  // Queues `open`, called once a token is free.
  void request(std::function<void()> open);
  size_t queued() const { return queue_.size(); }
  void onTimer(uint64_t token) override;

 private:
  void arm(int64_t when_us);

  EventLoop& loop_;
  double rate_per_us_;
  double capacity_;
  double tokens_ = 1;
  int64_t refilled_at_us_;
  uint64_t timer_ = 0;  // token of the armed timer, 0 when none
  std::deque<std::function<void()>> queue_;
};

}  // namespace strata::connload
