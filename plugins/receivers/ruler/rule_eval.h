// Evaluation of one rule at one timestamp, as Prometheus' rules package does it: a recording
// rule renames and relabels its result; an alerting rule keeps its alerts' state
// (inactive -> pending -> firing, `for`, keep_firing_for, resolved) and yields the ALERTS and
// ALERTS_FOR_STATE samples. Pure: no threads, no I/O; the group runner locks around it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/promql/labels.h"
#include "core/promql/value.h"
#include "rule_file.h"
#include "template.h"

namespace strata::ruler {

enum class AlertState { kInactive, kPending, kFiring };
const char* alertStateName(AlertState s);

struct Alert {
  promql::Labels labels;  // alertname and rule labels included, no __name__
  std::map<std::string, std::string> annotations;
  double value = 0;
  AlertState state = AlertState::kPending;
  int64_t active_at = 0, fired_at = 0, resolved_at = 0, last_sent_at = 0, valid_until = 0;
  int64_t keep_firing_since = 0;  // 0: not kept firing
  // Whether the notifier should send it now (Prometheus' needsSending).
  bool needsSending(int64_t ts, int64_t resend_delay_ms) const;
};

struct OutSample {
  promql::Labels labels;  // __name__ included
  double value;
};

// Everything a rule needs from the ruler besides the query result.
struct EvalEnv {
  std::map<std::string, std::string> external_labels;
  std::string external_url;
};

class RuleEval {
 public:
  explicit RuleEval(Rule rule);

  // Applies the query result (the expression's vector at `ts`; a scalar comes as one series
  // without labels) and returns the samples to write. Throws std::runtime_error for a rule
  // error (limit exceeded, duplicate label sets, template failures are logged not thrown).
  std::vector<OutSample> apply(const promql::Matrix& result, int64_t ts, int64_t limit,
                               const EvalEnv& env);

  const Rule& rule() const { return rule_; }
  // Alerts in pending, firing, or resolved within the last 15 minutes (kept for notifying).
  const std::map<promql::Labels, Alert>& alerts() const { return active_; }
  std::map<promql::Labels, Alert>& mutableAlerts() { return active_; }

 private:
  std::vector<OutSample> record(const promql::Matrix& result, int64_t limit);
  std::vector<OutSample> alert(const promql::Matrix& result, int64_t ts, int64_t limit,
                               const EvalEnv& env);
  std::string expand(const Template& t, const std::string& name, const TemplateData& d) const;

  Rule rule_;
  std::vector<std::pair<std::string, Template>> label_templates_, annotation_templates_;
  std::map<promql::Labels, Alert> active_;
};

inline constexpr int64_t kResolvedRetentionMs = 15 * 60 * 1000;

}  // namespace strata::ruler
