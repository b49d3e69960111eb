// An exponentially weighted rate, as Prometheus' remote write queue measures its traffic
// (storage/remote/ewma.go): add() counts events from any thread; tick(), called every
// `interval`, turns what was counted since the last tick into an instant rate (events per
// second) and blends it in with weight `alpha`. The first tick takes the instant rate as is.
//
// THREAD: add() from any thread; tick() and rate() from one thread (the resharding loop).
#pragma once

#include <atomic>
#include <chrono>

namespace strata::rwexporter {

class EwmaRate {
 public:
  static constexpr double kWeight = 0.2;  // Prometheus' ewmaWeight

  explicit EwmaRate(std::chrono::duration<double> interval, double alpha = kWeight)
      : interval_(interval.count()), alpha_(alpha) {}

  void add(double n) { pending_.fetch_add(n, std::memory_order_relaxed); }

  void tick() {
    double instant = pending_.exchange(0, std::memory_order_relaxed) / interval_;
    rate_ = init_ ? rate_ + alpha_ * (instant - rate_) : instant;
    init_ = true;
  }

  double rate() const { return rate_; }

 private:
  double interval_, alpha_;
  std::atomic<double> pending_{0};
  double rate_ = 0;
  bool init_ = false;
};

}  // namespace strata::rwexporter
