// The ruler component (kind receiver: it starts a metrics pipeline, and reads the query edge
// of `sources`). Each rule group runs on a thread of its own at its interval; results and
// ALERTS/ALERTS_FOR_STATE go out on the metrics edge, alerts to every Alertmanager.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <strata/sdk.hpp>
#include <thread>
#include <vector>

#include "group_runner.h"
#include "notifier.h"
#include "ruler_options.h"

namespace strata::ruler {

class Ruler : public sdk::Component {
 public:
  Ruler(sdk::Host host, sdk::ConfigView config);
  ~Ruler() override;

  strata_status start() override;
  strata_status drain() override;
  void stop() override;

  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink);

 private:
  void runGroup(GroupRunner& g);
  void emit(const std::vector<OutSample>& samples, int64_t ts);
  void notify(GroupRunner& g, int64_t ts);
  void serve(const strata_http_request* rq, strata_http_response* rs);
  std::vector<GroupStatus> snapshot() const;
  void stopThreads();

  RulerOptions opts_;
  EvalEnv env_;
  std::vector<std::unique_ptr<GroupRunner>> groups_;
  std::vector<std::unique_ptr<Notifier>> notifiers_;
  std::vector<std::thread> threads_;
  const strata_queryable* source_ = nullptr;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<bool> draining_{false};
  sdk::Metric evaluations_, failures_, missed_, emitted_, notifications_, notify_errors_, dropped_;
};

}  // namespace strata::ruler
