// The generator receiver: a thread that emits one batch per interval.
//
// Lifecycle: start() launches the thread (first tick at once); drain() and stop() end it and
// join; both are idempotent. Pending (not yet accepted) ticks are retried on the next tick.
#pragma once

#include <condition_variable>
#include <mutex>
#include <strata/sdk.hpp>
#include <thread>

#include "series_source.h"

namespace strata::generator {

class Generator : public sdk::Component {
 public:
  Generator(sdk::Host host, sdk::ConfigView config);
  ~Generator() override;

  strata_status start() override;
  strata_status drain() override;
  void stop() override;

  // One tick: add samples, emit everything pending, account for the result. Public so tests
  // can drive it without the thread.
  strata_status tickOnce(int64_t now_ms);

  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink);

 private:
  void run();
  void halt();

  SeriesSource source_;
  sdk::Metric emitted_, retried_, rejected_, dropped_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace strata::generator
