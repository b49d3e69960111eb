// RuleEval: Prometheus' RecordingRule.Eval and AlertingRule.Eval (rules/recording.go,
// rules/alerting.go, with keep_firing_for as of 2.45).
#include "rule_eval.h"

#include <set>
#include <stdexcept>

namespace strata::ruler {

const char* alertStateName(AlertState s) {
  switch (s) {
    case AlertState::kPending:
      return "pending";
    case AlertState::kFiring:
      return "firing";
    default:
      return "inactive";
  }
}

bool Alert::needsSending(int64_t ts, int64_t resend_delay_ms) const {
  if (state == AlertState::kPending) return false;
  if (resolved_at != 0 && resolved_at > last_sent_at) return true;  // resolved since last send
  return last_sent_at + resend_delay_ms <= ts;
}

namespace {
std::vector<std::pair<std::string, Template>> compile(const LabelList& list) {
  std::vector<std::pair<std::string, Template>> out;
  for (const auto& [k, v] : list) {
    std::string err;
    auto t = Template::parse(v, &err);
    if (!t) throw std::invalid_argument("template " + k + ": " + err);
    out.emplace_back(k, std::move(*t));
  }
  return out;
}
}  // namespace

RuleEval::RuleEval(Rule rule)
    : rule_(std::move(rule)),
      label_templates_(compile(rule_.labels)),
      annotation_templates_(compile(rule_.annotations)) {}

std::vector<OutSample> RuleEval::apply(const promql::Matrix& result, int64_t ts, int64_t limit,
                                       const EvalEnv& env) {
  return rule_.isAlert() ? alert(result, ts, limit, env) : record(result, limit);
}

std::vector<OutSample> RuleEval::record(const promql::Matrix& result, int64_t limit) {
  std::vector<OutSample> out;
  std::set<promql::Labels> seen;
  for (const promql::Series& s : result) {
    if (s.points.empty()) continue;
    promql::Labels l = s.metric;
    l.set(promql::kMetricName, rule_.record);
    for (const auto& [k, v] : rule_.labels) l.set(k, v);
    if (!seen.insert(l).second)
      throw std::runtime_error(
          "vector contains metrics with the same labelset after applying rule labels");
    out.push_back({std::move(l), s.points.back().v});
  }
  if (limit > 0 && static_cast<int64_t>(out.size()) > limit)
    throw std::runtime_error("exceeded limit " + std::to_string(limit) + " with " +
                             std::to_string(out.size()) + " series");
  return out;
}

std::string RuleEval::expand(const Template& t, const std::string& name,
                             const TemplateData& d) const {
  try {
    return t.render(d);
  } catch (const std::exception& e) {
    // As Prometheus: the expansion error becomes the value.
    return "<error expanding template: template: __alert_" + rule_.alert + ":" + name + ": " +
           e.what() + ">";
  }
}

std::vector<OutSample> RuleEval::alert(const promql::Matrix& result, int64_t ts, int64_t limit,
                                       const EvalEnv& env) {
  std::map<promql::Labels, Alert> current;
  for (const promql::Series& s : result) {
    if (s.points.empty()) continue;
    TemplateData d;
    for (const promql::Label& l : s.metric) d.labels[l.name] = l.value;
    d.value = s.points.back().v;
    d.external_labels = env.external_labels;
    d.external_url = env.external_url;
    promql::Labels l = s.metric;
    l.erase(promql::kMetricName);
    for (const auto& [k, t] : label_templates_) l.set(k, expand(t, k, d));
    l.set("alertname", rule_.alert);
    Alert a;
    a.labels = l;
    a.value = d.value;
    for (const auto& [k, t] : annotation_templates_) a.annotations[k] = expand(t, k, d);
    if (current.count(l))
      throw std::runtime_error(
          "vector contains metrics with the same labelset after applying alert labels");
    current.emplace(std::move(l), std::move(a));
  }
  for (auto& [l, fresh] : current) {
    auto it = active_.find(l);
    if (it != active_.end() && it->second.state != AlertState::kInactive) {
      it->second.value = fresh.value;
      it->second.annotations = fresh.annotations;
      continue;
    }
    fresh.active_at = ts;
    active_[l] = std::move(fresh);
  }
  std::vector<OutSample> out;
  int64_t active_count = 0;
  for (auto it = active_.begin(); it != active_.end();) {
    Alert& a = it->second;
    if (!current.count(it->first)) {
      bool keep = false;
      if (a.state == AlertState::kFiring && rule_.keep_firing_for_ms > 0) {
        if (a.keep_firing_since == 0) a.keep_firing_since = ts;
        keep = ts - a.keep_firing_since < rule_.keep_firing_for_ms;
      }
      if (a.state == AlertState::kPending ||
          (a.resolved_at != 0 && ts - a.resolved_at > kResolvedRetentionMs)) {
        it = active_.erase(it);
        continue;
      }
      if (a.state != AlertState::kInactive && !keep) {
        a.state = AlertState::kInactive;
        a.resolved_at = ts;
      }
      if (!keep) {
        ++it;
        continue;
      }
    } else {
      a.keep_firing_since = 0;
    }
    ++active_count;
    if (a.state == AlertState::kPending && ts - a.active_at >= rule_.for_ms) {
      a.state = AlertState::kFiring;
      a.fired_at = ts;
    }
    promql::Labels alerts = a.labels;
    alerts.set(promql::kMetricName, "ALERTS");
    alerts.set("alertstate", alertStateName(a.state));
    out.push_back({std::move(alerts), 1});
    promql::Labels for_state = a.labels;
    for_state.set(promql::kMetricName, "ALERTS_FOR_STATE");
    out.push_back({std::move(for_state), static_cast<double>(a.active_at / 1000)});
    ++it;
  }
  if (limit > 0 && active_count > limit) {
    active_.clear();
    throw std::runtime_error("exceeded limit of " + std::to_string(limit) + " with " +
                             std::to_string(active_count) + " alerts");
  }
  return out;
}

}  // namespace strata::ruler
