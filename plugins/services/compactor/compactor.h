// The compactor service: no edges; a run at start and every `interval` on a thread of its
// own, over one bucket (docs/plugins/compactor.md).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <strata/sdk.hpp>
#include <thread>

#include "compactor_core.h"

namespace strata::compactor {

class Compactor : public sdk::Component {
 public:
  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink);
  Compactor(sdk::Host host, sdk::ConfigView config);
  ~Compactor() override;

  // Opens the bucket (a misconfiguration fails the start) and starts the run loop.
  strata_status start() override;
  // Abandons a run in progress (between series; what was uploaded stays partial or complete,
  // the next run carries on) and joins the loop.
  void stop() override;

 private:
  void loop();

  CompactorOptions options_;
  std::unique_ptr<CompactorCore> core_;
  std::atomic<bool> cancel_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace strata::compactor
