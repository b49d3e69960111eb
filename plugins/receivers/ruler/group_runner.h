// One rule group: its rules in order at the group's evaluation timestamp, each rule's health
// and last error, and staleness markers for series a rule stopped producing (as Prometheus'
// Group.Eval). Thread-safe: the group's own thread evaluates, HTTP threads read snapshots.
#pragma once

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/promql/engine.h"
#include "core/promql/storage.h"
#include "rule_eval.h"

namespace strata::ruler {

struct RuleStatus {
  Rule rule;
  std::string health = "unknown", last_error;
  int64_t last_eval_ms = 0;
  double eval_seconds = 0;
  std::vector<Alert> alerts;  // pending and firing
};

struct GroupStatus {
  std::string name, file;
  int64_t interval_ms = 0, limit = 0, last_eval_ms = 0;
  double eval_seconds = 0;
  std::vector<RuleStatus> rules;
};

class GroupRunner {
 public:
  GroupRunner(Group group, int64_t interval_ms);

  // Evaluates every rule at `ts`; returns the samples (stale markers included) to write.
  std::vector<OutSample> evaluate(promql::Storage& storage, const promql::Engine& engine,
                                  int64_t ts, const EvalEnv& env);
  // Alerts to send now (their last_sent_at and valid_until are updated).
  std::vector<Alert> alertsToSend(int64_t ts, int64_t resend_delay_ms);

  GroupStatus status() const;
  const Group& group() const { return group_; }
  int64_t interval() const { return interval_ms_; }
  // Prometheus' evalTimestamp: the start of the current interval, shifted by a per-group
  // offset (hash of file and name) so groups are spread over the interval.
  int64_t alignedTimestamp(int64_t now_ms) const;

 private:
  Group group_;
  int64_t interval_ms_;
  mutable std::mutex mu_;
  std::vector<RuleEval> rules_;
  std::vector<RuleStatus> status_;
  std::vector<std::set<promql::Labels>> previous_;  // series each rule wrote last time
  int64_t last_eval_ms_ = 0;
  double eval_seconds_ = 0;
};

}  // namespace strata::ruler
