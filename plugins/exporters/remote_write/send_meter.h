// What the resharding loop measures (Prometheus' dataIn, dataDropped, dataOut,
// dataOutDuration, highest received/sent timestamps and lastSendTimestamp): consume() and the
// shards count into it from any thread; every shard update interval the loop tick()s it and
// reads the rates.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>

#include "desired_shards.h"
#include "ewma_rate.h"

namespace strata::rwexporter {

class SendMeter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SendMeter(std::chrono::duration<double> interval)
      : in_(interval), dropped_(interval), out_(interval), send_seconds_(interval) {
    last_send_.store(Clock::now().time_since_epoch().count());
  }

  // consume(): samples accepted (before relabeling), those relabeling dropped, newest ts.
  void received(uint64_t samples, uint64_t dropped, int64_t max_ts_ms) {
    in_.add(static_cast<double>(samples));
    dropped_.add(static_cast<double>(dropped));
    raise(highest_recv_ms_, max_ts_ms);
  }
  // A shard finished with a request (delivered or refused for good) after `took`, retries
  // included.
  void sent(uint64_t samples, int64_t max_ts_ms, std::chrono::duration<double> took) {
    out_.add(static_cast<double>(samples));
    send_seconds_.add(took.count());
    raise(highest_sent_ms_, max_ts_ms);
    last_send_.store(Clock::now().time_since_epoch().count());
  }

  // The loop, once per interval: fold the counts into the rates and return them.
  ShardRates tick() {
    in_.tick();
    dropped_.tick();
    out_.tick();
    send_seconds_.tick();
    int64_t recv = highest_recv_ms_.load(), sent = highest_sent_ms_.load();
    double delay = recv > sent && sent > 0 ? (recv - sent) / 1000.0 : 0;
    return {in_.rate(), dropped_.rate(), out_.rate(), send_seconds_.rate(), delay};
  }
  Clock::duration sinceLastSend() const {
    return Clock::now() - Clock::time_point(Clock::duration(last_send_.load()));
  }

 private:
  static void raise(std::atomic<int64_t>& a, int64_t v) {
    int64_t cur = a.load();
    while (v > cur && !a.compare_exchange_weak(cur, v)) {
    }
  }

  EwmaRate in_, dropped_, out_, send_seconds_;
  std::atomic<int64_t> highest_recv_ms_{0}, highest_sent_ms_{0};
  std::atomic<Clock::rep> last_send_{0};
};

}  // namespace strata::rwexporter
