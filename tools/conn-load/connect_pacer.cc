#include "connect_pacer.h"

#include <algorithm>
#include <cmath>

namespace strata::connload {

ConnectPacer::ConnectPacer(EventLoop& loop, int64_t rate_per_s)
    : loop_(loop),
      rate_per_us_(static_cast<double>(rate_per_s) / 1e6),
      capacity_(std::max(1.0, static_cast<double>(rate_per_s) / 50)),
      refilled_at_us_(loop.now()) {}

void ConnectPacer::request(std::function<void()> open) {
  queue_.push_back(std::move(open));
  if (timer_ == 0) arm(loop_.now());
}

void ConnectPacer::arm(int64_t when_us) { timer_ = loop_.at(when_us, this); }

void ConnectPacer::onTimer(uint64_t token) {
  if (token != timer_) return;
  timer_ = 0;
  int64_t now = loop_.now();
  tokens_ = std::min(capacity_, tokens_ + (now - refilled_at_us_) * rate_per_us_);
  refilled_at_us_ = now;
  while (tokens_ >= 1 && !queue_.empty()) {
    tokens_ -= 1;
    auto open = std::move(queue_.front());
    queue_.pop_front();
    open();
  }
  if (!queue_.empty()) arm(now + static_cast<int64_t>(std::ceil((1 - tokens_) / rate_per_us_)));
}

}  // namespace strata::connload
